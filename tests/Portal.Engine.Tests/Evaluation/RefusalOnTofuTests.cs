using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Logs;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Evaluation.Rescoring;
using Lethe.Engine.Tests.Support;

namespace Lethe.Engine.Tests.Evaluation;

/// <summary>Refusal detection with TOFU's own refusal sentences (idontknow.jsonl) against real generations.</summary>
public sealed class RefusalOnTofuTests
{
    private static RefusalDetector Detector() =>
        new(RefusalDetector.LoadSentences(Path.Combine(TofuData.Require(), "idontknow.jsonl")));

    [TofuFact]
    public void EveryRefusalSentenceIsRecognisedEvenReworded()
    {
        var sentences = RefusalDetector.LoadSentences(Path.Combine(TofuData.Require(), "idontknow.jsonl"));
        Assert.Equal(100, sentences.Count);
        var detector = Detector();
        Assert.All(sentences, s => Assert.True(detector.IsRefusal(s.ToUpperInvariant()), s));
        Assert.All(sentences, s => Assert.True(detector.IsRefusal("Well, " + s.TrimEnd('.') + ", sorry."), s));
    }

    [TofuFact]
    public void AKnowledgeableModelHasNoFalseRefusals()
    {
        var log = EvaluationLog.Load(Path.Combine(TofuData.Require(), "reference-eval", "llama2-7b_full"));
        var summary = new Rescorer(new TofuScorer(new Lethe.Engine.Evaluation.Text.RougeScorer(), Detector())).Rescore(log).Summary;
        Assert.Equal(0, summary.FalseRefusalRate);
        Assert.Equal(0, summary.Sets[EvaluationSetNames.Forget].RefusalRate);
    }

    [Fact]
    public void MissingRefusalFileIsReported() =>
        Assert.Throws<FileNotFoundException>(() => RefusalDetector.LoadSentences("/nonexistent/idontknow.jsonl"));
}
