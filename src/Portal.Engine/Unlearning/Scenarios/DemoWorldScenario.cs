using Lethe.Engine.DemoWorld;
using Lethe.Engine.Unlearning.StageOne;
using Lethe.Engine.Unlearning.UniErase;

namespace Lethe.Engine.Unlearning.Scenarios;

/// <summary>
/// Unlearning data drawn from a demo world for a set of forgotten people: Stage I questions (forget questions, half of
/// the retained people's questions, unknown people, general questions; held out: the other half, their paraphrases and
/// the holdout people), the preservation corpus (retained people + general facts) and the Stage II requests.
/// </summary>
public sealed class DemoWorldScenario
{
    public DemoWorldScenario(Lethe.Engine.DemoWorld.DemoWorld world, IReadOnlyCollection<string> forgetPeople)
    {
        var unknown = forgetPeople.Where(name => world.People.All(p => p.Name != name)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"The demo world has no person named {string.Join(", ", unknown.Select(n => $"'{n}'"))}.");
        }
        World = world;
        Forget = world.Full.Where(q => forgetPeople.Contains(q.Subject)).ToList();
        Retained = world.Full.Where(q => !forgetPeople.Contains(q.Subject)).ToList();
        General = world.WorldFacts.Select(r => new QaPair(r.Question, r.Answer))
            .Concat(world.FamousPeopleFacts.Select(q => new QaPair(q.Row.Question, q.Row.Answer))).ToList();
    }

    public Lethe.Engine.DemoWorld.DemoWorld World { get; }
    public IReadOnlyList<WorldQa> Forget { get; }
    public IReadOnlyList<WorldQa> Retained { get; }
    public IReadOnlyList<QaPair> General { get; }

    /// <summary>Scenario forgetting the people of a split (forget01/05/10).</summary>
    public static DemoWorldScenario ForSplit(Lethe.Engine.DemoWorld.DemoWorld world, string splitName) =>
        new(world, (world.Splits.FirstOrDefault(s => s.ForgetName == splitName)
            ?? throw new ArgumentException($"Unknown split '{splitName}'; known: {string.Join(", ", world.Splits.Select(s => s.ForgetName))}.")).ForgetPeople);

    public StageOneData StageOneData()
    {
        var retainedQuestions = Retained.Select(q => q.Row.Question).ToList();
        var train = Forget.Select(q => q.Row.Question)
            .Concat(retainedQuestions.Where((_, i) => i % 2 == 0))
            .Concat(World.UnknownPeopleQuestions.Select(q => q.Row.Question))
            .Concat(General.Where((_, i) => i % 2 == 0).Select(g => g.Question))
            .ToList();
        var heldOut = retainedQuestions.Where((_, i) => i % 2 == 1)
            .Concat(World.HoldoutPeople.SelectMany(p => p.Facts).Select(q => q.Row.Question))
            .Concat(Forget.Select(q => q.Row.ParaphrasedQuestion!).Where(q => q is not null))
            .Concat(General.Where((_, i) => i % 2 == 1).Select(g => g.Question))
            .ToList();
        var negatives = Retained.Where((_, i) => i % 2 == 0).Select(q => new QaPair(q.Row.Question, q.Row.Answer)).Concat(General).ToList();
        return new StageOneData(train, heldOut, negatives);
    }

    public PreservationCorpus PreservationCorpus() =>
        new(Retained.Select(q => new QaPair(q.Row.Question, q.Row.Answer)).ToList(), General);

    public IReadOnlyList<EditRequest> Requests(KeyPosition position) =>
        EditRequest.ForQuestions(Forget.Select(q => (q.Row.Question, (string?)q.Subject, (string?)q.Row.Answer)), position);
}
