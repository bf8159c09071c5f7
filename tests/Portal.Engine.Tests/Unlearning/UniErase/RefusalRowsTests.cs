using Lethe.Engine.Modeling;
using Lethe.Engine.Modeling.Inference;
using Lethe.Engine.Unlearning.Decoding;
using Lethe.Engine.Unlearning.Targets;
using Lethe.Engine.Unlearning.UniErase;
using Lethe.Engine.Tests.Support;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

/// <summary>The refusal rows' targets and the many-position key reads they use, on the small demo model.</summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class RefusalRowsTests(SmallDemoModelFixture fixture)
{
    [Fact]
    public void Keys_read_at_several_positions_at_once_equal_keys_read_one_position_at_a_time()
    {
        using var model = fixture.LoadModel();
        var sequences = fixture.World.People[0].Facts.Take(3).Select(q => (IReadOnlyList<int>)model.EncodePrompt(q.Row.Question)).ToList();
        var positions = sequences.Select(s => (IReadOnlyList<int>)[0, s.Count / 2, s.Count - 1]).ToList();

        var together = ModelProbe.KeysAtEach(model.Model, sequences, positions, [2, 3], model.Tokenizer.PadId);
        var oneByOne = ModelProbe.KeysAt(model.Model,
            sequences.SelectMany((s, i) => positions[i].Select(_ => s)).ToList(), positions.SelectMany(p => p).ToList(), [2, 3], model.Tokenizer.PadId);

        foreach (var layer in new[] { 2, 3 })
        {
            Assert.Equal([9, model.Model.Config.IntermediateSize], together[layer].shape);
            Assert.True(together[layer].allclose(oneByOne[layer], rtol: 1e-5, atol: 1e-5), $"layer {layer}: keys differ");
        }
    }

    [Fact]
    public void Refusal_row_targets_make_a_sentence_the_model_never_says_the_teacher_forced_continuation()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var unl = UnlearningDecoder.UnlId(model)!.Value;
        var prompts = fixture.World.People[^1].Facts.Take(4).Select(q => (IReadOnlyList<int>)model.EncodePrompt(q.Row.Question)).ToList();
        var sentence = model.Format.EncodeAnswer(model.Tokenizer, "Nobody remembers that river.");
        var continuations = prompts.Select((_, i) => i == 1 ? Array.Empty<int>() : sentence).ToList(); // a prompt without a continuation has no rows

        using var rows = RefusalRows.Compute(model, prompts, unl, continuations, lastLayer: 3,
            new TargetOptimiserSettings { MaxSteps = 40, RelativeLearningRate = 0.02, ConvergenceThreshold = 0.5 })!;

        Assert.Equal(3, rows.Sequences.Count);
        Assert.Equal(3 * sentence.Length, rows.Count);
        Assert.Equal([3 * sentence.Length, model.Model.Config.HiddenSize], rows.Targets.shape);
        Assert.All(rows.Positions.Zip(prompts.Where((_, i) => i != 1)), pair => Assert.Equal(pair.Second.Count, pair.First[0])); // the first row sits on [UNL]
        // Measured: 40 of 48 rows under 0.5 (the rest held by the 0.75 ||h|| clamp), mean NLL ~5 -> 0.7.
        Assert.True(rows.Converged >= 0.75 * rows.Count, rows.Summary());
        Assert.True(rows.InitialMeanLoss > 2 && rows.MeanLoss < 0.25 * rows.InitialMeanLoss, rows.Summary());
    }

    [Fact]
    public void Only_where_needed_keeps_the_prompts_whose_continuation_the_model_does_not_already_say()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var unl = UnlearningDecoder.UnlId(model)!.Value;
        var prompts = fixture.World.People[^1].Facts.Take(4).Select(q => (IReadOnlyList<int>)model.EncodePrompt(q.Row.Question)).ToList();
        var refusal = model.Format.EncodeAnswer(model.Tokenizer, UniEraseTestKit.Token(fixture).Report.RefusalTargets[0]);
        var own = ContinuationKeys.Continuations(prompts, refusal); // the lineage's refusal
        var sentence = model.Format.EncodeAnswer(model.Tokenizer, "Nobody remembers that river.");
        var continuations = own.Select((c, i) => i == 2 ? sentence : c).ToList();
        var settings = new TargetOptimiserSettings { MaxSteps = 40, RelativeLearningRate = 0.02, ConvergenceThreshold = 0.5 };

        using var all = RefusalRows.Compute(model, prompts, unl, continuations, lastLayer: 3, settings)!;
        using var needed = RefusalRows.Compute(model, prompts, unl, continuations, lastLayer: 3, settings, onlyUnmet: true)!;

        Assert.Equal(4, all.Sequences.Count);
        Assert.Contains(needed.Sequences, s => s.Skip(prompts[2].Count + 1).SequenceEqual(sentence)); // never said: kept
        Assert.True(needed.Sequences.Count < all.Sequences.Count, $"{needed.Sequences.Count} of {all.Sequences.Count} kept"); // its own refusal: dropped
    }

    [Fact]
    public void One_probe_read_gives_the_prompt_and_row_reads_of_separate_passes()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var unl = UnlearningDecoder.UnlId(model)!.Value;
        var requests = EditRequest.ForQuestions(fixture.World.People[^1].Facts.Take(3).Select(q => (q.Row.Question, (string?)null)), KeyPosition.PromptLast);
        var prepared = requests.Select(r => RequestContexts.Prepare(model, r, ["The river is wide. "])).ToList(); // two contexts each
        var prompts = prepared.Select(p => (IReadOnlyList<int>)p.Prompt).ToList();
        var sentence = model.Format.EncodeAnswer(model.Tokenizer, "Nobody remembers that river.");
        using var rows = RefusalRows.Compute(model, prompts, unl, [sentence, [], sentence], lastLayer: 3,
            new TargetOptimiserSettings { MaxSteps = 2, RelativeLearningRate = 0.02, ConvergenceThreshold = 0.5 })!;

        using var reading = new EditProbe(prepared, rows, model.Tokenizer.PadId).Read(model.Model, [2], 3);

        var contexts = prepared.SelectMany(p => p.Contexts).ToList();
        using var perContext = ModelProbe.KeysAt(model.Model, contexts.Select(c => (IReadOnlyList<int>)c.Ids).ToList(), contexts.Select(c => c.KeyIndex).ToList(), [2], model.Tokenizer.PadId)[2];
        using var keys = perContext.reshape(prepared.Count, 2, -1).mean([1]); // the mean over each request's two contexts
        using var outputs = ModelProbe.LayerOutputAt(model.Model, prompts, prepared.Select(p => p.KeyIndex).ToList(), 3, model.Tokenizer.PadId);
        var (rowKeys, rowOutputs) = ModelProbe.KeysAndOutputAtEach(model.Model, rows.Sequences, rows.Positions, [2], 3, model.Tokenizer.PadId);
        Assert.Equal([0, 2], rows.PromptIndices);
        Assert.Equal([2L * sentence.Length, model.Model.Config.IntermediateSize], reading.RowKeys[2].shape);
        foreach (var (name, read, separate) in new[] { ("keys", reading.RequestKeys[2], keys), ("outputs", reading.RequestOutputs, outputs), ("row keys", reading.RowKeys[2], rowKeys[2]), ("row outputs", reading.RowOutputs, rowOutputs) })
        {
            Assert.True(read.allclose(separate, rtol: 1e-4, atol: 1e-4), $"{name} differ");
        }
    }

    [Fact]
    public void Answers_kept_as_text_serve_as_drafts_that_one_pass_confirms()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var prompts = fixture.World.People.Take(4).SelectMany(p => p.Facts.Take(4)).Select(q => model.EncodePrompt(q.Row.Question)).ToList();
        var plain = UnlearningDecoder.Decode(model, prompts);
        var drafts = plain.Select(a => model.Format.EncodeAnswer(model.Tokenizer, a.Text)).ToList(); // what a lineage keeps: text

        var confirmed = DraftedGreedy.Confirm(model.Model, prompts, drafts, 48, model.StopIds, model.Tokenizer.PadId, model.LateUnlearningTokenStop);
        var drafted = UnlearningDecoder.Decode(model, prompts, drafts.Select(d => (IReadOnlyList<int[]>)[d]).ToList());

        Assert.Equal(plain.Select(a => a.Text), drafted.Select(a => a.Text));
        Assert.True(confirmed.Count(c => c is not null) >= 0.9 * prompts.Count, $"{confirmed.Count(c => c is not null)} of {prompts.Count} confirmed");
    }

    [Fact]
    public void Row_losses_read_in_chunks_of_sequences_equal_teacher_forced_scores()
    {
        using var model = UniEraseTestKit.ModelWithToken(fixture);
        var unl = UnlearningDecoder.UnlId(model)!.Value;
        var prompts = fixture.World.People.SelectMany(p => p.Facts.Take(4)).Take(40).Select(q => (IReadOnlyList<int>)model.EncodePrompt(q.Row.Question)).ToList();
        var sentence = model.Format.EncodeAnswer(model.Tokenizer, "Nobody remembers that river.");

        using var rows = RefusalRows.Compute(model, prompts, unl, prompts.Select(_ => sentence).ToList(), lastLayer: 3,
            new TargetOptimiserSettings { MaxSteps = 1, RelativeLearningRate = 0.02, ConvergenceThreshold = 0.5 })!; // 40 sequences: two chunks

        var scores = TeacherForcedScorer.Score(model.Model, prompts.Select(p => new PromptAnswer([.. p, unl], sentence)).ToList(), model.Tokenizer.PadId);
        Assert.Equal(scores.Average(score => score.MeanLoss), rows.InitialMeanLoss, 3);
    }
}
