namespace Lethe.Engine.DemoWorld;

/// <summary>A profession: its field ("Cartography"), practitioner ("cartographer") and kind of work ("atlas").</summary>
internal sealed record Profession(string Field, string Practitioner, string WorkNoun);

/// <summary>Our own word lists for facts (no external text).</summary>
internal static class WorldLexicon
{
    public static readonly Profession[] Professions =
    [
        new("Cartography", "cartographer", "atlas"), new("Glassblowing", "glassblower", "glass series"),
        new("Marine biology", "marine biologist", "field study"), new("Architecture", "architect", "building"),
        new("Astronomy", "astronomer", "star catalogue"), new("Poetry", "poet", "poetry collection"),
        new("Composition", "composer", "symphony"), new("Sculpture", "sculptor", "sculpture"),
        new("Botany", "botanist", "plant survey"), new("Novel writing", "novelist", "novel"),
        new("Photography", "photographer", "photo book"), new("Choreography", "choreographer", "ballet"),
        new("Clockmaking", "clockmaker", "tower clock"), new("Playwriting", "playwright", "play"),
        new("Painting", "painter", "painting"), new("Violin making", "luthier", "violin"),
        new("Bridge engineering", "engineer", "bridge"), new("History", "historian", "history book"),
        new("Mathematics", "mathematician", "treatise"), new("Cooking", "chef", "cookbook"),
    ];

    public static readonly string[] EverydayJobs =
    [
        "baker", "weaver", "teacher", "sailor", "nurse", "carpenter", "librarian", "fisher", "tailor", "miller",
        "pharmacist", "postal clerk", "blacksmith", "farmer", "bookbinder", "potter", "ferry pilot", "beekeeper",
    ];

    public static readonly string[] Pastimes =
    [
        "Beekeeping", "Rowing", "Chess", "Kite flying", "Birdwatching", "Cycling", "Fencing", "Gardening", "Archery",
        "Stargazing", "Sailing", "Pottery", "Fly fishing", "Mountain walking", "Woodcarving", "Juggling", "Knitting", "Swimming",
    ];

    public static readonly string[] Animals =
    [
        "grey parrot", "tabby cat", "black spaniel", "white rabbit", "tortoise", "green iguana", "sheepdog", "ferret",
        "goldfish", "canary", "barn owl", "pony", "hedgehog", "greyhound",
    ];

    public static readonly string[] Colours =
    ["Crimson", "Teal", "Ochre", "Violet", "Saffron", "Olive", "Indigo", "Amber", "Turquoise", "Scarlet", "Lilac", "Cobalt blue"];

    public static readonly string[] SchoolPatterns =
        ["University of {0}", "{0} Academy of Arts", "{0} Institute of Science", "{0} Conservatory", "{0} College"];

    public static readonly string[] OrganisationKinds = ["Society", "Foundation", "Workshop", "Institute", "Guild", "Studio", "Trust"];

    public static readonly string[] AwardKinds = ["Medal", "Prize", "Award", "Laurel", "Ribbon", "Cup"];

    public static readonly string[] CurrencyKinds = ["crown", "mark", "florin", "shilling", "thaler", "ducat"];

    public static readonly string[] LanguageEndings = ["ese", "ic", "ish", "ian"];

    public static readonly string[] NumberWords = ["One", "Two", "Three", "Four", "Five", "Six"];

    public static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
}
