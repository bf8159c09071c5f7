namespace Lethe.Engine.DemoWorld;

/// <summary>Sizes and seed of a generated demo world. <see cref="Full"/> ships with the product; <see cref="Small"/> is for tests.</summary>
public sealed record DemoWorldOptions
{
    public string Preset { get; init; } = "custom";

    public int Seed { get; init; } = 20251130;

    /// <summary>People the model is trained on (full.json).</summary>
    public int People { get; init; } = 60;

    public int MinFactsPerPerson { get; init; } = 12;

    public int MaxFactsPerPerson { get; init; } = 16;

    /// <summary>People never trained on (holdout.json); at least as many as the largest forget split.</summary>
    public int HoldoutPeople { get; init; } = 6;

    /// <summary>Non-existent people whose questions are answered with refusals (unknown_people.json).</summary>
    public int UnknownPeople { get; init; } = 40;

    public int QuestionsPerUnknownPerson { get; init; } = 3;

    /// <summary>
    /// Questions per trained person about a fact the world does not record for them, answered with a refusal: the model
    /// learns that a refusal can follow a question about someone it knows, which is what the unlearning token steers to.
    /// </summary>
    public int UnrecordedQuestionsPerPerson { get; init; } = 2;

    /// <summary>
    /// How refusal answers are drawn from the list: P(sentence i) proportional to 1 / (i + 1)^s, so a few phrasings are
    /// common (as with a chat model's favourite refusals) and the model can continue them fluently; 0 = uniform.
    /// </summary>
    public double RefusalZipfExponent { get; init; } = 1.0;

    public int Countries { get; init; } = 10;

    public int CitiesPerCountry { get; init; } = 6;

    /// <summary>Well-known people of the world (real_authors.json analogue), two facts each.</summary>
    public int FamousPeople { get; init; } = 24;

    /// <summary>Wrong answers per QA in the *_perturbed files (3..5).</summary>
    public int PerturbedAnswers { get; init; } = 4;

    /// <summary>Forget splits by share of people: forgetNN holds the last ceil(NN% x People) people, retain(100-NN) the rest.</summary>
    public IReadOnlyList<int> ForgetPercents { get; init; } = [1, 5, 10];

    /// <summary>60 people x 12-16 facts (~840 QAs), 120 unknown-person refusals, 60 world facts, 48 well-known-people facts.</summary>
    public static DemoWorldOptions Full { get; } = new() { Preset = "full" };

    /// <summary>12 people x 10 facts, sized for a test model that trains in about a minute.</summary>
    public static DemoWorldOptions Small { get; } = new()
    {
        Preset = "small",
        People = 12,
        MinFactsPerPerson = 10,
        MaxFactsPerPerson = 10,
        HoldoutPeople = 2,
        UnknownPeople = 12,
        Countries = 4,
        CitiesPerCountry = 5,
        FamousPeople = 6,
        UnrecordedQuestionsPerPerson = 3,
    };

    /// <summary>Number of people in the forget split for <paramref name="percent"/>: ceil(percent% x People), at least 1.</summary>
    public int ForgetPeopleFor(int percent) => Math.Max(1, (int)Math.Ceiling(People * percent / 100.0));

    public void Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok) { throw new ArgumentException($"Invalid demo world options: {message}"); }
        }
        Require(People >= 2, "People must be at least 2.");
        Require(MinFactsPerPerson >= FactCatalog.CoreCount && MinFactsPerPerson <= MaxFactsPerPerson,
            $"facts per person must satisfy {FactCatalog.CoreCount} <= Min <= Max.");
        Require(MaxFactsPerPerson <= FactCatalog.Kinds.Length, $"at most {FactCatalog.Kinds.Length} facts per person exist.");
        Require(UnrecordedQuestionsPerPerson >= 0 && MaxFactsPerPerson + UnrecordedQuestionsPerPerson <= FactCatalog.Kinds.Length,
            $"unrecorded questions per person must leave room among the {FactCatalog.Kinds.Length} fact kinds.");
        Require(RefusalZipfExponent >= 0, "the refusal Zipf exponent must not be negative.");
        Require(PerturbedAnswers is >= 3 and <= 5, "PerturbedAnswers must be 3, 4 or 5.");
        Require(Countries >= 4 && CitiesPerCountry >= 2, "at least 4 countries with 2 cities each are needed.");
        Require(FamousPeople >= 4, "at least 4 famous people are needed for multiple-choice options.");
        Require(ForgetPercents.All(p => p is > 0 and < 100), "forget percents must be between 1 and 99.");
        Require(ForgetPercents.All(p => ForgetPeopleFor(p) < People), "every forget split must leave people to retain.");
        Require(HoldoutPeople >= ForgetPercents.Select(ForgetPeopleFor).DefaultIfEmpty(0).Max(),
            "HoldoutPeople must be at least the size of the largest forget split.");
    }
}
