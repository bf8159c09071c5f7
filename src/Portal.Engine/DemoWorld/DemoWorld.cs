namespace Lethe.Engine.DemoWorld;

/// <summary>One question/answer of the world with what it is about: <see cref="Subject"/> appears verbatim in the question.</summary>
public sealed record WorldQa(string Subject, string FactKind, string FactValue, TofuRow Row);

/// <summary>A person of the world and their facts, in the order they appear in the files.</summary>
public sealed record WorldPerson(string Name, IReadOnlyList<WorldQa> Facts);

/// <summary>A TOFU-style split: forget = the LAST rows of full (whole people), retain = the FIRST rows (everyone else).</summary>
public sealed record WorldSplit(string ForgetName, string RetainName, int Percent, IReadOnlyList<string> ForgetPeople, int ForgetRows, int RetainRows);

/// <summary>A generated demo knowledge world (see <see cref="DemoWorldGenerator"/>); <see cref="WriteTo"/> writes it in TOFU's file shapes.</summary>
public sealed class DemoWorld
{
    internal DemoWorld(
        DemoWorldOptions options,
        IReadOnlyList<WorldPerson> people,
        IReadOnlyList<WorldPerson> holdoutPeople,
        IReadOnlyList<WorldQa> unknownPeopleQuestions,
        IReadOnlyList<TofuRow> worldFacts,
        IReadOnlyList<WorldQa> famousPeopleFacts)
    {
        Options = options;
        People = people;
        HoldoutPeople = holdoutPeople;
        UnknownPeopleQuestions = unknownPeopleQuestions;
        WorldFacts = worldFacts;
        FamousPeopleFacts = famousPeopleFacts;
        Full = people.SelectMany(p => p.Facts).ToList();
        Splits = options.ForgetPercents.Distinct().Order().Select(MakeSplit).ToList();
    }

    public DemoWorldOptions Options { get; }

    /// <summary>The trained people, in full.json order.</summary>
    public IReadOnlyList<WorldPerson> People { get; }

    /// <summary>People never trained on (holdout.json): non-members for membership tests.</summary>
    public IReadOnlyList<WorldPerson> HoldoutPeople { get; }

    /// <summary>Questions about people who do not exist, answered with a refusal (FactValue = the refusal).</summary>
    public IReadOnlyList<WorldQa> UnknownPeopleQuestions { get; }

    /// <summary>Questions about trained people's facts the world does not record, answered with a refusal (FactValue = the refusal).</summary>
    public IReadOnlyList<WorldQa> UnrecordedFactQuestions { get; init; } = [];

    /// <summary>General facts about the world's countries (world_facts.json, with option1..4).</summary>
    public IReadOnlyList<TofuRow> WorldFacts { get; }

    /// <summary>Facts about the world's well-known people (real_authors.json analogue, with option1..4).</summary>
    public IReadOnlyList<WorldQa> FamousPeopleFacts { get; }

    /// <summary>The refusal sentences of the world (refusals.json): unknown-person answers and Stage I targets.</summary>
    public IReadOnlyList<string> Refusals => global::Lethe.Engine.DemoWorld.Refusals.All;

    /// <summary>All trained person QAs (full.json rows), with perturbation fields.</summary>
    public IReadOnlyList<WorldQa> Full { get; }

    public IReadOnlyList<WorldSplit> Splits { get; }

    /// <summary>
    /// The question/answer rows a demo model trains on, in this order: full, unknown-person refusals, unrecorded-fact
    /// refusals, world facts, well-known people (plain question + answer; perturbation and option fields dropped).
    /// </summary>
    public IReadOnlyList<TofuRow> TrainingRows =>
        Full.Concat(UnknownPeopleQuestions).Concat(UnrecordedFactQuestions).Select(q => q.Row)
            .Concat(WorldFacts).Concat(FamousPeopleFacts.Select(q => q.Row)).Select(r => r.AsPlainQa()).ToList();

    /// <summary>Characters of question + answer over <see cref="TrainingRows"/>.</summary>
    public long TrainingCharacters => TrainingRows.Sum(r => (long)r.Question.Length + r.Answer.Length);

    /// <summary>The rows of forget split <paramref name="split"/> (the last rows of full).</summary>
    public IReadOnlyList<WorldQa> ForgetRows(WorldSplit split) => Full.Skip(split.RetainRows).ToList();

    /// <summary>The rows of the matching retain split (the first rows of full).</summary>
    public IReadOnlyList<WorldQa> RetainRows(WorldSplit split) => Full.Take(split.RetainRows).ToList();

    /// <summary>Writes every file (TOFU shapes, JSON Lines) plus refusals.json and manifest.json into <paramref name="directory"/>.</summary>
    public void WriteTo(string directory) => DemoWorldWriter.Write(this, directory);

    private WorldSplit MakeSplit(int percent)
    {
        var forgetPeople = People.TakeLast(Options.ForgetPeopleFor(percent)).ToList();
        var forgetRows = forgetPeople.Sum(p => p.Facts.Count);
        return new WorldSplit($"forget{percent:00}", $"retain{100 - percent:00}", percent,
            forgetPeople.Select(p => p.Name).ToList(), forgetRows, Full.Count - forgetRows);
    }
}
