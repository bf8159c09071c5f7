namespace Lethe.Engine.DemoWorld;

/// <summary>
/// Generates the demo knowledge world from a seed: fictitious people with 10-20 facts each (every answer starts with
/// the fact), paraphrases and plausible wrong answers, people never trained, questions about non-existent people
/// answered with refusals, and the world's general knowledge. Same options -> identical world.
/// </summary>
public static class DemoWorldGenerator
{
    private const int FamousDeedsPerPerson = 2;

    public static DemoWorld Generate(DemoWorldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(options.Seed);
        var forge = new WordForge(random);
        var geography = new WorldGeography(forge, options.Countries, options.CitiesPerCountry);
        var famous = GeneralKnowledge.FamousPeople(forge, options.FamousPeople, FamousDeedsPerPerson)
            .Select(f => new WorldQa(f.Subject, "famous_deed", f.Subject, f.Row)).ToList();
        var people = Enumerable.Range(0, options.People).Select(_ => MakePerson(forge, geography, options)).ToList();
        var holdout = Enumerable.Range(0, options.HoldoutPeople).Select(_ => MakePerson(forge, geography, options)).ToList();
        var unknown = Enumerable.Range(0, options.UnknownPeople)
            .SelectMany(_ => MakeUnknownPersonQuestions(forge, options)).ToList();
        var worldFacts = GeneralKnowledge.WorldFacts(forge, geography);
        var unrecorded = MakeUnrecordedQuestions(new WordForge(new Random(options.Seed + 1)), people, options);
        return new DemoWorld(options, people, holdout, unknown, worldFacts, famous) { UnrecordedFactQuestions = unrecorded };
    }

    private static WorldPerson MakePerson(WordForge forge, WorldGeography geography, DemoWorldOptions options)
    {
        var familyName = forge.FamilyName();
        var name = $"{forge.GivenName()} {familyName}";
        var seed = new PersonSeed(name, familyName, forge.Between(1940, 1985),
            forge.Pick(WorldLexicon.Professions), forge.Pick(geography.Countries));
        var factCount = forge.Between(options.MinFactsPerPerson, options.MaxFactsPerPerson);
        var optionalKinds = Enumerable.Range(FactCatalog.CoreCount, FactCatalog.Kinds.Length - FactCatalog.CoreCount)
            .OrderBy(_ => forge.Between(0, 1_000_000)).Take(factCount - FactCatalog.CoreCount);
        var kinds = Enumerable.Range(0, FactCatalog.CoreCount).Concat(optionalKinds.Order()).Select(i => FactCatalog.Kinds[i]);
        var facts = kinds.Select(kind => MakeFact(kind, forge, geography, seed, options.PerturbedAnswers)).ToList();
        return new WorldPerson(name, facts);
    }

    private static WorldQa MakeFact(FactKind kind, WordForge forge, WorldGeography geography, PersonSeed person, int wrongCount)
    {
        var value = kind.Draw(new FactContext(forge, geography, person, IsTrueValue: true));
        var wrongContext = new FactContext(forge, geography, person, IsTrueValue: false);
        var wrongValues = new List<string>(wrongCount);
        for (var attempt = 0; wrongValues.Count < wrongCount; attempt++)
        {
            if (attempt > 1000) { throw new InvalidOperationException($"Could not draw {wrongCount} distinct wrong values for '{kind.Name}'."); }
            var wrong = kind.Draw(wrongContext);
            if (wrong != value && !wrongValues.Contains(wrong)) { wrongValues.Add(wrong); }
        }
        var row = new TofuRow
        {
            Question = kind.AskMain(person.Name),
            Answer = kind.AnswerMain(person.Name, value),
            ParaphrasedQuestion = kind.AskParaphrased(person.Name),
            ParaphrasedAnswer = kind.AnswerParaphrased(person.Name, value),
            PerturbedAnswer = wrongValues.Select(w => kind.AnswerParaphrased(person.Name, w)).ToList(),
        };
        return new WorldQa(person.Name, kind.Name, value, row);
    }

    /// <summary>
    /// Per person, <see cref="DemoWorldOptions.UnrecordedQuestionsPerPerson"/> questions of fact kinds the person does not have, answered with a refusal
    /// (drawn from their own generator so the rest of the world is the same with or without them).
    /// </summary>
    private static List<WorldQa> MakeUnrecordedQuestions(WordForge forge, IReadOnlyList<WorldPerson> people, DemoWorldOptions options) =>
        people.SelectMany(person => FactCatalog.Kinds.Where(kind => person.Facts.All(f => f.FactKind != kind.Name))
                .OrderBy(_ => forge.Between(0, 1_000_000)).Take(options.UnrecordedQuestionsPerPerson).ToList()
                .Select(kind =>
                {
                    var refusal = Refusals.Draw(forge, options.RefusalZipfExponent);
                    return new WorldQa(person.Name, kind.Name, refusal, new TofuRow { Question = kind.AskMain(person.Name), Answer = refusal });
                }))
            .ToList();

    /// <summary>Questions in the same templates as real people's, about a name that exists nowhere; answers are refusals.</summary>
    private static IEnumerable<WorldQa> MakeUnknownPersonQuestions(WordForge forge, DemoWorldOptions options)
    {
        var name = forge.PersonName();
        return Enumerable.Range(0, FactCatalog.Kinds.Length).OrderBy(_ => forge.Between(0, 1_000_000)).Take(options.QuestionsPerUnknownPerson).Order()
            .Select(i =>
            {
                var kind = FactCatalog.Kinds[i];
                var question = forge.Between(0, 1) == 0 ? kind.AskMain(name) : kind.AskParaphrased(name);
                var refusal = Refusals.Draw(forge, options.RefusalZipfExponent);
                return new WorldQa(name, kind.Name, refusal, new TofuRow { Question = question, Answer = refusal });
            })
            .ToList();
    }
}
