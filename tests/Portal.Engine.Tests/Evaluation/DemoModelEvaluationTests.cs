using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Logs;
using Lethe.Engine.Evaluation.Runner;
using Lethe.Engine.Modeling;
using Lethe.Engine.Tests.Support;

namespace Lethe.Engine.Tests.Evaluation;

/// <summary>The evaluation runner on the small demo model, which has memorised its world, and on a fresh twin.</summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class DemoModelEvaluationTests(SmallDemoModelFixture fixture)
{
    /// <summary>The demo preset; answers of the demo world are short, 64 new tokens leave room for any of them.</summary>
    private static readonly EvaluationSpec Spec = EvaluationSpec.Demo with { MaxNewTokens = 64 };

    private EvaluationResult Evaluate(LanguageModel model, EvaluationSpec? spec = null) =>
        new EvaluationRunner().Run(model, fixture.WorldFolder, spec ?? Spec);

    private static string TempDirectory(string name) => Directory.CreateTempSubdirectory($"lethe-demo-eval-{name}-").FullName;

    /// <summary>Same configuration and tokenizer as the demo model, new random weights.</summary>
    private static LanguageModel FreshTwin(LanguageModel trained) =>
        new(new LlamaForCausalLM(trained.Model.Config, seed: 4242), trained.Tokenizer, trained.Format);

    [Fact]
    public void MemorisedWorldScoresHighProbabilityAndRouge()
    {
        using var model = fixture.LoadModel();
        var result = Evaluate(model);

        foreach (var name in new[] { EvaluationSetNames.Forget, EvaluationSetNames.Retain, EvaluationSetNames.ForgetParaphrased })
        {
            var set = result.Set(name)!;
            Assert.True(set.Probability > 0.8, $"{name} probability {set.Probability}");
            Assert.True(set.RougeLRecall > 0.9, $"{name} ROUGE-L {set.RougeLRecall}");
            Assert.True(set.RefusalRate < 0.1, $"{name} refusal rate {set.RefusalRate}");
        }
        Assert.True(result.Set(EvaluationSetNames.Forget)!.ExactMemorization > 0.9);
        foreach (var name in new[] { EvaluationSetNames.RealAuthors, EvaluationSetNames.WorldFacts })
        {
            var set = result.Set(name)!;
            Assert.True(set.Probability > 0.5, $"{name} normalised probability {set.Probability}");
            Assert.True(set.RougeLRecall > 0.9, $"{name} ROUGE-L {set.RougeLRecall}");
        }
        Assert.True(result.Summary.ModelUtility > 0.3, $"model utility {result.Summary.ModelUtility}");
        Assert.True(result.Summary.ForgetEfficacy < 0.2, $"FE {result.Summary.ForgetEfficacy}");
        Assert.True(result.Summary.FalseRefusalRate < 0.1, $"false refusals {result.Summary.FalseRefusalRate}");
        Assert.True(result.Summary.MinKAuc > 0.8, $"Min-K AUC {result.Summary.MinKAuc}");
    }

    [Fact]
    public void FreshModelOfTheSameConfigurationScoresNearZero()
    {
        using var trained = fixture.LoadModel();
        using var fresh = FreshTwin(trained);
        var result = Evaluate(fresh, Spec with { MaxNewTokens = 24 });

        foreach (var name in new[] { EvaluationSetNames.Forget, EvaluationSetNames.Retain })
        {
            var set = result.Set(name)!;
            Assert.True(set.Probability < 0.02, $"{name} probability {set.Probability}");
            Assert.True(set.RougeLRecall < 0.2, $"{name} ROUGE-L {set.RougeLRecall}");
        }
        Assert.True(result.Summary.ModelUtility < 0.2, $"model utility {result.Summary.ModelUtility}");
    }

    [Fact]
    public void TwoEvaluationsGiveIdenticalJsonAndForgetQualityIsComputedEndToEnd()
    {
        using var trained = fixture.LoadModel();
        using var fresh = FreshTwin(trained);
        var spec = Spec with { Sets = [EvaluationSetNames.Forget, EvaluationSetNames.Holdout] };
        var (first, second, freshReference) = (TempDirectory("a"), TempDirectory("b"), TempDirectory("fresh"));
        EvaluationOutput.Write(first, Evaluate(trained, spec));
        EvaluationOutput.Write(second, Evaluate(trained, spec));
        EvaluationOutput.Write(freshReference, Evaluate(fresh, spec with { MaxNewTokens = 8 }));

        foreach (var file in new[] { OpenUnlearningLogWriter.EvalFileName, OpenUnlearningLogWriter.SummaryFileName })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        }
        // Against itself the truth-ratio distributions coincide (p = 1); against a model that never learned the world they differ.
        Assert.Equal(1.0, Evaluate(trained, spec with { Reference = first }).Summary.ForgetQuality!.PValue);
        var versusFresh = Evaluate(trained, spec with { Reference = freshReference }).Summary.ForgetQuality!;
        Assert.True(versusFresh.PValue < 0.01, $"forget quality against a fresh model {versusFresh.PValue}");
    }
}
