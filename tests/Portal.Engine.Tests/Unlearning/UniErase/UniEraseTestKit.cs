using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.Scenarios;
using Lethe.Engine.Unlearning.StageOne;
using Lethe.Engine.Unlearning.UniErase;
using Lethe.Engine.Tests.Support;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

/// <summary>
/// Shared pieces of the UniErase tests on the small demo model: the scenario forgetting the world's last person, a
/// Stage I token trained once per test run (a shortened schedule), fresh model copies with the token installed.
/// </summary>
internal static class UniEraseTestKit
{
    private static readonly object Gate = new();
    private static UnlearningToken? _token;

    public static StageOneSettings TestStageOne { get; } = new()
    {
        Phases =
        [
            new("A", TokenRow.Input, StageOneFormats.Raw, 4, 0.12, SecondUnlTarget.Omitted),
            new("B", TokenRow.Input, StageOneFormats.Both, 3, 0.04, SecondUnlTarget.Omitted),
            new("C", TokenRow.Input, StageOneFormats.Both, 1, 0.012, SecondUnlTarget.Omitted, NoiseOnEditedLayers: true),
            new("D", TokenRow.Output, StageOneFormats.Both, 2, 0.04, SecondUnlTarget.Supervised, WithNegatives: true),
        ],
        EditedLayers = [2, 3],
    };

    public static DemoWorldScenario Scenario(SmallDemoModelFixture fixture) =>
        new(fixture.World, [fixture.World.People[^1].Name]);

    public static RefusalDetector Refusals(SmallDemoModelFixture fixture) => new(fixture.World.Refusals);

    /// <summary>The token of this test run's lineage (trained on first use).</summary>
    public static UnlearningToken Token(SmallDemoModelFixture fixture)
    {
        lock (Gate)
        {
            if (_token is null)
            {
                using var model = fixture.LoadModel();
                _token = new StageOneTrainer().Train(model, Scenario(fixture).StageOneData(), fixture.World.Refusals, TestStageOne);
            }
            return _token;
        }
    }

    /// <summary>A fresh copy of the demo model with the lineage's [UNL] installed.</summary>
    public static LanguageModel ModelWithToken(SmallDemoModelFixture fixture)
    {
        var token = Token(fixture);
        var model = fixture.LoadModel();
        token.Install(model);
        return model;
    }

    /// <summary>One edit; the preservation corpus is every trained QA except this request's.</summary>
    public static EditOutcome Edit(
        LanguageModel model, SmallDemoModelFixture fixture, IReadOnlyList<EditRequest> requests, SequentialEditMemory memory,
        UniEraseSettings? settings = null) =>
        new UniEraseEditor().Edit(model, requests, Corpus(fixture, requests, []), memory, settings ?? new UniEraseSettings(), Refusals(fixture),
            refusal: Token(fixture).Report.RefusalTargets.FirstOrDefault());

    /// <summary>Stage II in rounds (<see cref="EditRounds"/>), watching the lineage's <paramref name="earlier"/> requests.</summary>
    public static IReadOnlyList<EditRound> EditInRounds(
        LanguageModel model, SmallDemoModelFixture fixture, IReadOnlyList<EditRequest> requests, SequentialEditMemory memory,
        IReadOnlyList<EditRequest> earlier, List<string>? log = null, UniEraseSettings? settings = null, EditReuse? lineage = null) =>
        EditRounds.Run(model, requests, Corpus(fixture, requests, earlier), memory, settings ?? new UniEraseSettings(), Refusals(fixture),
            progress: log is null ? null : log.Add, earlier: earlier, refusal: Token(fixture).Report.RefusalTargets.FirstOrDefault(), lineage: lineage);

    /// <summary>Retained = every trained QA but the request's and the earlier requests'; the earlier ones kept as forgotten.</summary>
    private static PreservationCorpus Corpus(SmallDemoModelFixture fixture, IReadOnlyList<EditRequest> requests, IReadOnlyList<EditRequest> earlier)
    {
        var earlierQuestions = earlier.Select(r => r.Question).ToHashSet();
        var forgotten = requests.Select(r => r.Question).Concat(earlierQuestions).ToHashSet();
        QaPair Pair(Lethe.Engine.DemoWorld.WorldQa q) => new(q.Row.Question, q.Row.Answer);
        return new PreservationCorpus(
            fixture.World.Full.Where(q => !forgotten.Contains(q.Row.Question)).Select(Pair).ToList(), Scenario(fixture).General)
        {
            EarlierForgotten = fixture.World.Full.Where(q => earlierQuestions.Contains(q.Row.Question)).Select(Pair).ToList(),
        };
    }

    public static IReadOnlyList<string> Answers(LanguageModel model, IEnumerable<string> questions) =>
        UnlearningMeasurement.Answers(model, questions.ToList());
}
