using Lethe.Engine.Unlearning.Decoding;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.NullSpace;
using Lethe.Engine.Unlearning.StageOne;
using Lethe.Engine.Unlearning.UniErase;
using Lethe.Engine.Tests.Support;

using KeyPosition = Lethe.Engine.Unlearning.UniErase.KeyPosition;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

/// <summary>UniErase end to end on the small demo model: Stage I token, batch / sequential / precise edits, gate, injection.</summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class UniEraseBehaviourTests(SmallDemoModelFixture fixture)
{
    [Fact]
    public void Stage_one_token_makes_unseen_questions_decode_to_a_refusal()
    {
        var token = UniEraseTestKit.Token(fixture);
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var unseen = fixture.World.HoldoutPeople.SelectMany(p => p.Facts).Select(q => q.Row.Question).ToList();

        var answers = UnlearningDecoder.AnswerAfterToken(model, unseen);

        var refused = answers.Count(a => UniEraseTestKit.Refusals(fixture).IsRefusal(a.Text)) / (double)answers.Count;
        Assert.True(refused >= 0.8, $"question + [UNL] refused {refused:P0} of {answers.Count} never-trained questions; e.g. '{answers[0].Text}'");
        Assert.True(token.Report.HeldOutRefusalRate >= 0.6, $"held-out refusal {token.Report.HeldOutRefusalRate:P0}");
        Assert.Equal(0, token.Report.SpontaneousUnlRate);
    }

    [Fact]
    public void Batch_edit_forgets_one_person_and_keeps_others_and_general_facts()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var scenario = UniEraseTestKit.Scenario(fixture);
        var other = fixture.World.People[0].Facts.Select(q => q.Row.Question).ToList();
        var general = scenario.General.Take(10).Select(g => g.Question).ToList();
        var otherBefore = UniEraseTestKit.Answers(model, other);
        var generalBefore = UniEraseTestKit.Answers(model, general);
        using var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize);

        var outcome = UniEraseTestKit.Edit(model, fixture, scenario.Requests(KeyPosition.PromptLast), memory);

        var forgetAnswers = UniEraseTestKit.Answers(model, scenario.Forget.Select(q => q.Row.Question));
        var refused = forgetAnswers.Count(UniEraseTestKit.Refusals(fixture).IsRefusal) / (double)forgetAnswers.Count;
        // Measured ceiling on the 4-layer demo model (docs/unierase-sweep.md): [UNL] first on 40-50 % of the person's
        // questions, Stage I turns only part of those into refusals. The assertions hold the method to that evidence.
        Assert.True(outcome.Diagnostics.Behaviour!.ForgetUnlFirstRate >= 0.3, $"[UNL] first on {outcome.Diagnostics.Behaviour.ForgetUnlFirstRate:P0} of forget questions");
        var stillAnswered = scenario.Forget.Zip(forgetAnswers).Count(p => p.Second.Contains(p.First.FactValue, StringComparison.Ordinal));
        Assert.True(stillAnswered <= 0.7 * forgetAnswers.Count, $"{stillAnswered}/{forgetAnswers.Count} forget answers still give the fact; refused {refused:P0}");
        Assert.Equal(otherBefore, UniEraseTestKit.Answers(model, other));
        Assert.Equal(generalBefore, UniEraseTestKit.Answers(model, general));
        Assert.True(outcome.Diagnostics.Gate.Passed);
        Assert.Equal(1, memory.EditCount);
    }

    [Fact]
    public void Sequential_second_request_keeps_the_first_forgotten_and_memory_survives_save_and_load()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var first = fixture.World.People[^1];
        var second = fixture.World.People[^2];
        var folder = Directory.CreateTempSubdirectory("lethe-cp-").FullName;
        var firstStartsAfterFirstEdit = 0;
        using (var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize))
        {
            UniEraseTestKit.Edit(model, fixture, Requests(first), memory);
            memory.Save(Path.Combine(folder, "cp"));
            firstStartsAfterFirstEdit = UnlearningDecoder.Answer(model, first.Facts.Select(q => q.Row.Question).ToList()).Count(a => a.StartedWithUnl);
        }
        using var restored = SequentialEditMemory.Load(Path.Combine(folder, "cp"));
        Assert.Equal(1, restored.EditCount);
        Assert.True(restored.KeyCount(3) > 0);

        var log = new List<string>();
        UniEraseTestKit.EditInRounds(model, fixture, Requests(second), restored, Requests(first), log);

        var firstStarts = UnlearningDecoder.Answer(model, first.Facts.Select(q => q.Row.Question).ToList()).Count(a => a.StartedWithUnl);
        var secondStarts = UnlearningDecoder.Answer(model, second.Facts.Select(q => q.Row.Question).ToList()).Count(a => a.StartedWithUnl);
        Assert.True(firstStarts >= firstStartsAfterFirstEdit - 1, $"first request: [UNL] first on {firstStarts} after the second edit, {firstStartsAfterFirstEdit} before it; {string.Join(" / ", log.Where(l => l.StartsWith("edit", StringComparison.Ordinal)))}");
        Assert.True(firstStarts >= 3, $"first request: [UNL] first on only {firstStarts}/{first.Facts.Count}");
        Assert.True(secondStarts >= 3, $"second request: [UNL] first on only {secondStarts}/{second.Facts.Count}");
        Assert.True(restored.EditCount >= 2, $"{restored.EditCount} edits recorded");
    }

    [Fact]
    public void Precise_edit_forgets_one_fact_and_keeps_the_siblings()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var person = fixture.World.People[3];
        var target = person.Facts[0];
        var siblings = person.Facts.Skip(1).Select(q => q.Row.Question).ToList();
        var siblingsBefore = UniEraseTestKit.Answers(model, siblings);
        using var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize);

        UniEraseTestKit.Edit(model, fixture, [new EditRequest("q1", target.Row.Question, person.Name, KeyPosition.PromptLast)], memory,
            new UniEraseSettings().ForPrecise());

        var forgotten = UnlearningDecoder.Answer(model, [target.Row.Question])[0];
        Assert.True(forgotten.StartedWithUnl, $"answer '{forgotten.Text}' does not start with [UNL]");
        Assert.DoesNotContain(target.FactValue, forgotten.Text);
        Assert.True(UniEraseTestKit.Refusals(fixture).IsRefusal(forgotten.Text), $"'{forgotten.Text}' is not a refusal");
        var kept = siblingsBefore.Zip(UniEraseTestKit.Answers(model, siblings)).Count(p => p.First == p.Second);
        Assert.True(kept >= 0.8 * siblings.Count, $"{kept}/{siblings.Count} sibling facts kept");
    }

    [Fact]
    public void Batched_targets_reach_what_one_by_one_targets_reach()
    {
        var person = fixture.World.People[2];
        var requests = person.Facts.Take(4).Select((q, i) => new EditRequest($"q{i}", q.Row.Question, person.Name, KeyPosition.PromptLast)).ToList();
        var settings = new UniEraseSettings { ContextPrefixes = 1, MaxRetainedChangedRate = 1, MaxRetainedFalseUnlRate = 1, Gate = new() { MaxRelativeUpdateNorm = 100, MinNullSpaceEnergyRatio = 0 } };
        EditOutcome EditWith(bool batched)
        {
            using var model = UniEraseTestKit.ModelWithToken(fixture);
            using var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize);
            return UniEraseTestKit.Edit(model, fixture, requests, memory, settings with { BatchedTargets = batched });
        }

        var alone = EditWith(batched: false);
        var together = EditWith(batched: true);

        foreach (var (one, all) in alone.Diagnostics.Targets.Zip(together.Diagnostics.Targets))
        {
            Assert.Equal(one.Converged, all.Converged);
            Assert.InRange(all.Steps, one.Steps - 1, one.Steps + 1);
            Assert.True(Math.Abs(one.FinalLoss - all.FinalLoss) < 0.02 + 0.05 * one.FinalLoss, $"{one.RequestId}: loss {one.FinalLoss} alone vs {all.FinalLoss} batched");
        }
        foreach (var (layer, delta) in alone.WeightDeltas)
        {
            using var difference = (delta - together.WeightDeltas[layer]).norm() / delta.norm();
            Assert.True(difference.item<float>() < 0.02, $"layer {layer}: weight updates differ by {difference.item<float>():P1}");
        }
    }

    [Fact]
    public void An_edit_without_null_space_room_is_rejected_and_leaves_the_model_unchanged()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var before = model.Model.DownProjWeight(3).detach().clone();
        using var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize);
        var settings = new UniEraseSettings { Threshold = EigenThreshold.Relative(1e-15) };

        var rejected = Assert.Throws<EditRejectedException>(() =>
            UniEraseTestKit.Edit(model, fixture, UniEraseTestKit.Scenario(fixture).Requests(KeyPosition.PromptLast), memory, settings));

        Assert.Contains("null space", rejected.Message);
        Assert.Contains("Suggestion", rejected.Message);
        Assert.True(model.Model.DownProjWeight(3).allclose(before, rtol: 0, atol: 0));
        Assert.Equal(0, memory.EditCount);
    }

    [Fact]
    public void Subject_last_keys_at_the_top_layer_cannot_reach_the_answer_and_the_gate_says_so()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        using var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize);
        var requests = UniEraseTestKit.Scenario(fixture).Requests(KeyPosition.SubjectLast).Take(3).ToList();
        var settings = new UniEraseSettings { Layers = [3], Targets = new() { MaxSteps = 8 } };

        var rejected = Assert.Throws<EditRejectedException>(() => UniEraseTestKit.Edit(model, fixture, requests, memory, settings));

        Assert.Contains("did not converge", rejected.Message);
        Assert.All(rejected.Diagnostics.Targets, t => Assert.False(t.Converged));
    }

    [Fact]
    public void Typing_the_token_text_never_triggers_it()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var unl = UnlearningDecoder.UnlId(model)!.Value;
        var question = fixture.World.People[0].Facts[0].Row.Question;
        var injected = question + " " + UnlearningToken.Text;

        Assert.DoesNotContain(unl, model.Tokenizer.Encode(UnlearningToken.Text));
        Assert.DoesNotContain(unl, model.EncodePrompt(injected));
        var answer = UnlearningDecoder.Answer(model, [injected])[0];
        Assert.False(answer.StartedWithUnl);
        Assert.False(UniEraseTestKit.Refusals(fixture).IsRefusal(answer.Text), $"answer to an injected question: '{answer.Text}'");
    }

    [Fact]
    public void Decoding_stops_at_a_later_unl_and_strips_it()
    {
        var stop = UnlearningDecoder.StopAfterLateUnl(99);
        Assert.False(stop([99], 0));
        Assert.False(stop([99, 5], 0));
        Assert.True(stop([99, 5, 99], 0));
        Assert.True(stop([5, 99], 0));
    }

    private static IReadOnlyList<EditRequest> Requests(Lethe.Engine.DemoWorld.WorldPerson person) =>
        EditRequest.ForQuestions(person.Facts.Select(q => (q.Row.Question, (string?)person.Name)), KeyPosition.PromptLast);
}
