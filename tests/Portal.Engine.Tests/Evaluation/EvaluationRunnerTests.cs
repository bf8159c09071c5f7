using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Logs;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Evaluation.Runner;

namespace Lethe.Engine.Tests.Evaluation;

public sealed class EvaluationRunnerTests(TinyEvaluationFixture fixture) : IClassFixture<TinyEvaluationFixture>
{
    /// <summary>The demo preset with short generations (a random model never emits EOS) and a small batch.</summary>
    private static readonly EvaluationSpec Spec = EvaluationSpec.Demo with { MaxNewTokens = 12, BatchSize = 8 };

    private EvaluationResult Evaluate(LanguageModel model, EvaluationSpec? spec = null, IProgress<EvaluationProgress>? progress = null) =>
        new EvaluationRunner().Run(model, fixture.WorldDirectory, spec ?? Spec, progress);

    [Fact]
    public void FreshModelScoresNearZeroOnEveryMeasuredSet()
    {
        var result = Evaluate(fixture.First);

        Assert.Equal(EvaluationSpec.AllSets, result.Sets.Select(s => s.Name));
        foreach (var name in new[] { EvaluationSetNames.Forget, EvaluationSetNames.ForgetParaphrased, EvaluationSetNames.Retain })
        {
            var set = result.Set(name)!;
            Assert.True(set.Probability < 0.02, $"{name} probability {set.Probability}");
            Assert.True(set.RougeLRecall < 0.2, $"{name} ROUGE-L {set.RougeLRecall}");
            Assert.True(set.ExactMemorization < 0.1, $"{name} EM {set.ExactMemorization}");
            Assert.Equal(0, set.RefusalRate);
        }
        // Multiple-choice probability is normalised over 1 true + 3 wrong answers: near 1/4 for a model that knows nothing.
        Assert.InRange(result.Set(EvaluationSetNames.RealAuthors)!.Probability, 0.1, 0.5);
        Assert.NotNull(result.Summary.ModelUtility);
        Assert.NotNull(result.Summary.MinKAuc);
        Assert.NotNull(result.Summary.ForgetEfficacy);
        Assert.True(result.Summary.ForgetEfficacy > 0.8);
        Assert.Equal(0, result.Summary.FalseRefusalRate);
        Assert.Null(result.Summary.ForgetQuality);
    }

    [Fact]
    public void PerItemScoresCarryEverythingTheMetricsNeed()
    {
        var result = Evaluate(fixture.First, Spec with { MaxItems = 5 });

        var forget = result.Sets.Single(s => s.Name == EvaluationSetNames.Forget);
        var items = TofuSplits.LoadEvaluationSet(fixture.WorldDirectory, EvaluationSetNames.Forget);
        Assert.Equal(5, forget.Items.Count);
        for (var i = 0; i < forget.Items.Count; i++)
        {
            var item = forget.Items[i];
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), item.Index);
            Assert.Equal(items[i].Answer, item.GroundTruth);
            Assert.Equal($"Question: {items[i].Question}\nAnswer:", item.Prompt);
            Assert.NotNull(item.MeanLossParaphrased);
            Assert.Equal(items[i].PerturbedAnswerList.Count, item.MeanLossPerturbed.Count);
            // Answer tokens without EOS: the model facade's encoding minus nothing, Min-K and ES/EM inputs agree in length.
            var answerTokens = fixture.First.Encode(new QaPair(items[i].Question, items[i].Answer)).Answer.Length - 1;
            Assert.Equal(answerTokens, item.AnswerTokenLogProbs!.Count);
            Assert.Equal(answerTokens, item.ArgmaxMatchesLabel!.Count);
        }
        // The paraphrased variant asks the paraphrased question; multiple-choice sets use the plain answer as the correct one.
        Assert.Contains(items[0].ParaphrasedQuestion!, result.Sets.Single(s => s.Name == EvaluationSetNames.ForgetParaphrased).Items[0].Prompt);
        Assert.All(result.Sets.Single(s => s.Name == EvaluationSetNames.WorldFacts).Items, i => Assert.Null(i.MeanLossParaphrased));
        var holdout = result.Sets.Single(s => s.Name == EvaluationSetNames.Holdout);
        Assert.All(holdout.Items, i => Assert.Null(i.Generation));
    }

    [Fact]
    public void BatchingDoesNotChangeTheScores()
    {
        var small = Evaluate(fixture.First, Spec with { MaxItems = 6, BatchSize = 1, Sets = [EvaluationSetNames.Retain] });
        var large = Evaluate(fixture.First, Spec with { MaxItems = 6, BatchSize = 16, Sets = [EvaluationSetNames.Retain] });

        foreach (var (one, many) in small.Sets[0].Items.Zip(large.Sets[0].Items))
        {
            Assert.Equal(one.MeanLossTrue, many.MeanLossTrue, 4);
            Assert.Equal(one.Generation, many.Generation);
        }
    }

    [Fact]
    public void TwoRunsWriteByteIdenticalJson()
    {
        var first = fixture.NewDirectory("run1");
        var second = fixture.NewDirectory("run2");
        EvaluationOutput.Write(first, Evaluate(fixture.First));
        EvaluationOutput.Write(second, Evaluate(fixture.First));

        foreach (var file in new[] { OpenUnlearningLogWriter.EvalFileName, OpenUnlearningLogWriter.SummaryFileName })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        }
        Assert.True(File.Exists(Path.Combine(first, EvaluationOutput.RunFileName)));
    }

    [Fact]
    public void ForgetQualityAgainstAWrittenReferenceEndToEnd()
    {
        var referenceDirectory = fixture.NewDirectory("reference");
        var reference = Evaluate(fixture.Second);
        EvaluationOutput.Write(referenceDirectory, reference);

        var againstOther = Evaluate(fixture.First, Spec with { Reference = Path.Combine(referenceDirectory, OpenUnlearningLogWriter.EvalFileName) });
        var againstItself = Evaluate(fixture.Second, Spec with { Reference = referenceDirectory });

        var expected = KolmogorovSmirnov.TwoSample(
            againstOther.Set(EvaluationSetNames.Forget)!.TruthRatios, reference.Set(EvaluationSetNames.Forget)!.TruthRatios);
        Assert.Equal(expected.PValue, againstOther.Summary.ForgetQuality!.PValue, 12);
        Assert.Equal(1.0, againstItself.Summary.ForgetQuality!.PValue);
        Assert.Equal(0.0, againstItself.Summary.PrivLeak!.Value, 9);
        Assert.NotNull(againstOther.Summary.PrivLeak);
    }

    [Fact]
    public void ProgressCoversEverySequenceAndTimingAddsUp()
    {
        var reports = new List<EvaluationProgress>();
        var result = Evaluate(fixture.First, Spec with { MaxItems = 4 }, new SynchronousProgress(reports.Add));

        var last = reports[^1];
        Assert.Equal(last.Total, last.Completed);
        Assert.Equal(result.Timing.GeneratedSequences + result.Timing.ScoredSequences, last.Total);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Completed <= p.Second.Completed));
        Assert.Equal(EvaluationSpec.AllSets, reports.Select(r => r.Set).Distinct());
        var timing = result.Timing;
        Assert.True(timing.Generation > TimeSpan.Zero && timing.Scoring > TimeSpan.Zero);
        Assert.True(timing.Generation + timing.Scoring <= timing.Total);
        Assert.Equal(result.Sets.Sum(s => s.Items.Count), timing.Items);
        Assert.Equal(5 * 4 * 12, timing.GeneratedTokens); // 5 generated sets x 4 items x 12 tokens: a random model never stops early
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new EvaluationRunner().Run(fixture.First, fixture.WorldDirectory, Spec, null, cancel.Token));
    }

    [Fact]
    public void PromptFormatOverrideAndItemLimitsApply()
    {
        var result = Evaluate(fixture.First, Spec with
        {
            PromptFormat = "raw",
            Sets = [EvaluationSetNames.Forget, EvaluationSetNames.WorldFacts],
            MaxItems = 3,
            MaxItemsBySet = new Dictionary<string, int> { [EvaluationSetNames.WorldFacts] = 2 },
        });

        Assert.Equal("raw", result.PromptFormat);
        Assert.Equal([3, 2], result.Sets.Select(s => s.Items.Count));
        Assert.DoesNotContain("Question:", result.Sets[0].Items[0].Prompt);
        Assert.Null(result.Summary.ModelUtility);
    }

    [Fact]
    public void BadDataFoldersGiveClearErrors()
    {
        var missing = Path.Combine(fixture.Root, "no-such-folder");
        var error = Assert.Throws<DirectoryNotFoundException>(() => new EvaluationRunner().Run(fixture.First, missing, Spec));
        Assert.Equal($"Data folder '{missing}' does not exist.", error.Message);

        var partial = fixture.NewDirectory("partial");
        File.Copy(Path.Combine(fixture.WorldDirectory, "forget10_perturbed.json"), Path.Combine(partial, "forget10_perturbed.json"));
        var notFound = Assert.Throws<FileNotFoundException>(() => new EvaluationRunner().Run(fixture.First, partial, Spec));
        Assert.Contains("cannot provide set 'retain'", notFound.Message);
        Assert.Contains("retain_perturbed.json", notFound.Message);

        var retain = Path.Combine(partial, "retain_perturbed.json");
        File.WriteAllLines(retain, File.ReadLines(Path.Combine(fixture.WorldDirectory, "retain_perturbed.json")).Take(1)
            .Append("{\"question\": \"Who?\", \"answer\": \"Nobody.\", \"paraphrased_question\": \"Who, then?\", \"paraphrased_answer\": \"No one.\"}"));
        var malformed = Assert.Throws<InvalidDataException>(() => new EvaluationRunner().Run(fixture.First, partial, Spec));
        Assert.Equal($"{retain}:2: missing required field 'perturbed_answer'.", malformed.Message);

        var noRefusals = Assert.Throws<FileNotFoundException>(() =>
            new EvaluationRunner().Run(fixture.First, fixture.WorldDirectory, Spec with { RefusalsFile = "idontknow.jsonl" }));
        Assert.Contains("lacks the refusal sentence file 'idontknow.jsonl'", noRefusals.Message);

        var badReference = Assert.Throws<FileNotFoundException>(() =>
            new EvaluationRunner().Run(fixture.First, fixture.WorldDirectory, Spec with { Reference = missing }));
        Assert.Contains(missing, badReference.Message);
    }

    private sealed class SynchronousProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
