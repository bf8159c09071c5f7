using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.UniErase;
using Lethe.Engine.Tests.Support;

using KeyPosition = Lethe.Engine.Unlearning.UniErase.KeyPosition;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

[Collection(SmallDemoModelCollection.Name)]
public sealed class EditRoundsTests(SmallDemoModelFixture fixture)
{
    [Fact]
    public void The_behaviour_checks_run_once_after_the_last_round_and_its_record_carries_them()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        using var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize);
        var requests = UniEraseTestKit.Scenario(fixture).Requests(KeyPosition.PromptLast);
        var log = new List<string>();

        var rounds = UniEraseTestKit.EditInRounds(model, fixture, requests, memory, [], log);

        Assert.NotEmpty(rounds);
        Assert.All(rounds.SkipLast(1), round => Assert.Null(round.Outcome.Diagnostics.Behaviour));
        var last = rounds[^1].Outcome;
        Assert.NotNull(last.Diagnostics.Behaviour);
        Assert.True(last.Diagnostics.Gate.Passed);
        Assert.Equal(requests.Count, last.StartsWithUnl.Count); // the checks cover the whole request, not only the last round's
        Assert.Equal(Math.Min(EditChecks.AnswerSample, fixture.World.Full.Count), last.RetainedAnswersAfter.Count);
        Assert.Single(log, line => line.StartsWith("checks after round", StringComparison.Ordinal));
        Assert.Equal(rounds.Count, memory.EditCount);
    }

    [Fact]
    public void A_failed_check_rolls_every_round_back_and_leaves_the_model_and_memory_as_they_were()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        using var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize);
        var before = Enumerable.Range(0, model.Model.LayerCount).Select(layer => model.Model.DownProjWeight(layer).detach().clone()).ToList();
        var requests = UniEraseTestKit.Scenario(fixture).Requests(KeyPosition.PromptLast);
        // Answers "before" that the model never gives: every sampled retained answer counts as changed, so every check fails.
        var lineage = new EditReuse(RetainedAnswersBefore: Enumerable.Repeat("no such answer", EditChecks.AnswerSample).ToList());
        var log = new List<string>();

        var rejected = Assert.Throws<EditRejectedException>(() =>
            UniEraseTestKit.EditInRounds(model, fixture, requests, memory, [], log, new UniEraseSettings { MaxRounds = 2 }, lineage));

        Assert.Contains("changed 100 % of the sampled retained answers", rejected.Message);
        Assert.NotNull(rejected.Diagnostics.Behaviour);
        Assert.Contains(log, line => line.StartsWith("round 1 rolled back", StringComparison.Ordinal));
        Assert.Equal(log.Count(line => line.StartsWith("edit round", StringComparison.Ordinal) && line.EndsWith("request(s)", StringComparison.Ordinal)),
            log.Count(line => line.Contains("rolled back", StringComparison.Ordinal)));
        for (var layer = 0; layer < before.Count; layer++)
        {
            Assert.True(model.Model.DownProjWeight(layer).allclose(before[layer], rtol: 0, atol: 0), $"layer {layer} changed");
        }
        Assert.Equal(0, memory.EditCount);
        Assert.Equal(0, memory.KeyCount(3));
    }
}
