namespace Lethe.Engine.DemoWorld;

/// <summary>
/// Invents names and phrases from syllables and small word lists of our own (seeded, deterministic).
/// Every generated proper name is unique across the whole world, so a name identifies exactly one subject.
/// </summary>
internal sealed class WordForge(Random random)
{
    private static readonly string[] Onsets =
        ["b", "br", "d", "dr", "f", "g", "h", "k", "kh", "l", "m", "n", "p", "r", "s", "sh", "t", "th", "v", "z", "c", "j", "w", "st"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ae", "ei", "ou", "ia", "y"];
    private static readonly string[] Codas = ["", "", "", "n", "r", "l", "s", "m", "th", "nd", "rk", "v"];
    private static readonly string[] GivenEndings = ["a", "o", "is", "en", "ia", "el", "an", "ine", "or", "et"];
    private static readonly string[] FamilyEndings = ["ven", "mar", "dell", "ska", "rin", "holt", "vik", "ard", "esh", "oni", "berg", "wyn"];
    private static readonly string[] CityEndings = ["holm", "mere", "port", "ford", "grad", "stead", "haven", "bury", "vale", "mouth"];
    private static readonly string[] CountryEndings = ["ia", "and", "ora", "esh", "avia", "istan", "onia"];

    public static readonly string[] Adjectives =
    [
        "Glass", "Silent", "Copper", "Hollow", "Amber", "Distant", "Winter", "Crimson", "Paper", "Quiet", "Iron", "Salt",
        "Golden", "Broken", "Velvet", "Northern", "Hidden", "Burning", "Silver", "Patient", "Restless", "Blue", "Lantern",
        "Sleeping", "Wandering", "Bitter", "Bright", "Secret", "Tidal", "Evening",
    ];

    public static readonly string[] Nouns =
    [
        "Orchard", "Harbour", "Lantern", "Compass", "Meadow", "Clocktower", "River", "Garden", "Mirror", "Bridge", "Island",
        "Feather", "Lighthouse", "Archive", "Mountain", "Violin", "Forest", "Window", "Tide", "Station", "Kingdom", "Map",
        "Ladder", "Letter", "Shore", "Sparrow", "Canal", "Workshop", "Observatory", "Staircase",
    ];

    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public string GivenName() => Unique(() => Capitalise(Syllable() + Pick(GivenEndings)), register: false);

    public string FamilyName() => Unique(() => Capitalise(Syllable() + Pick(FamilyEndings)));

    /// <summary>A full name whose family name is new to the world.</summary>
    public string PersonName() => $"{GivenName()} {FamilyName()}";

    /// <summary>A full name within an existing family (relatives share the family name).</summary>
    public string RelativeName(string familyName) =>
        Unique(() => $"{Capitalise(Syllable() + Pick(GivenEndings))} {familyName}");

    public string CityName() => Unique(() => Capitalise(Syllable() + Pick(CityEndings)));

    public string CountryName() => Unique(() => Capitalise(Syllable() + Pick(CountryEndings)));

    public string LanguageName() => Unique(() => Word() + Pick(WorldLexicon.LanguageEndings));

    public string Word() => Unique(() => Capitalise(Syllable() + Syllable()));

    /// <summary>A work title such as "The Glass Orchard" or "Letters from the Quiet Harbour".</summary>
    public string Title() => Unique(() => random.Next(4) switch
    {
        0 => $"The {Pick(Adjectives)} {Pick(Nouns)}",
        1 => $"{Pick(Nouns)}s of {Pick(Adjectives)} {Pick(Nouns)}",
        2 => $"Letters from the {Pick(Adjectives)} {Pick(Nouns)}",
        _ => $"A {Pick(Nouns)} in {Pick(Adjectives)} Light",
    });

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public int Between(int lowInclusive, int highInclusive) => random.Next(lowInclusive, highInclusive + 1);

    /// <summary>Draws until <paramref name="make"/> gives a value not yet used anywhere in the world.</summary>
    public string Unique(Func<string> make, bool register = true)
    {
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var candidate = make();
            if (!register) { return candidate; }
            if (_used.Add(candidate)) { return candidate; }
        }
        throw new InvalidOperationException("The name generator ran out of unique names; the world is too large for its syllables.");
    }

    private string Syllable() => Pick(Onsets) + Pick(Vowels) + Pick(Codas);

    private static string Capitalise(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
