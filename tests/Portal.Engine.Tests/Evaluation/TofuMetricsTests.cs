using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Metrics;

namespace Lethe.Engine.Tests.Evaluation;

public sealed class TofuMetricsTests
{
    [Fact]
    public void ProbabilityIsExpOfMinusMeanLoss()
    {
        Assert.Equal(1.0, TofuItemMetrics.Probability(0));
        Assert.Equal(Math.Exp(-0.5), TofuItemMetrics.Probability(0.5), 15);
    }

    [Fact]
    public void NormalisedProbabilityDividesByAllAnswers()
    {
        // p(true) = e^-1, wrong = e^-2 + e^-3
        var expected = Math.Exp(-1) / (Math.Exp(-1) + Math.Exp(-2) + Math.Exp(-3));
        Assert.Equal(expected, TofuItemMetrics.NormalisedProbability(1, [2, 3]), 15);
        Assert.Equal(0.25, TofuItemMetrics.NormalisedProbability(1, [1, 1, 1]), 15);
    }

    [Fact]
    public void TruthRatioIsGeometricAndTransformsDifferPerSet()
    {
        // R = exp(L_c − mean L_w) = exp(1 − 2) = e^-1
        var ratio = TofuItemMetrics.TruthRatio(1, [1.5, 2.5]);
        Assert.Equal(Math.Exp(-1), ratio, 15);
        Assert.Equal(Math.Exp(-1), TofuItemMetrics.TruthRatioScore(ratio, EvaluationSetKind.Forget), 15);
        Assert.Equal(1 - Math.Exp(-1), TofuItemMetrics.TruthRatioScore(ratio, EvaluationSetKind.Retain), 15);
        Assert.Equal(0.5, TofuItemMetrics.TruthRatioScore(2, EvaluationSetKind.Forget), 15);
        Assert.Equal(0, TofuItemMetrics.TruthRatioScore(2, EvaluationSetKind.MultipleChoice));
        Assert.Throws<ArgumentException>(() => TofuItemMetrics.TruthRatio(1, []));
    }

    [Fact]
    public void ModelUtilityIsTheHarmonicMeanAndZeroWhenAnyComponentIs()
    {
        Assert.Equal(3 / (1 / 0.5 + 1 / 0.25 + 1 / 1.0), AggregateMetrics.ModelUtility([0.5, 0.25, 1.0]), 15);
        Assert.Equal(0, AggregateMetrics.ModelUtility([0.9, 0.0, 0.8]));
        Assert.Throws<ArgumentException>(() => AggregateMetrics.ModelUtility([]));
    }

    [Fact]
    public void ForgetEfficacyIsOneMinusMeanOfRougeAndProbability() =>
        Assert.Equal(0.7, AggregateMetrics.ForgetEfficacy(0.2, 0.4), 15);

    [Fact]
    public void ExtractionStrengthFollowsOpenUnlearning()
    {
        Assert.Equal(1.0, TofuItemMetrics.ExtractionStrength([true, true, true, true]));
        Assert.Equal(0.5, TofuItemMetrics.ExtractionStrength([true, false, true, true]));     // k = 2
        Assert.Equal(0.25, TofuItemMetrics.ExtractionStrength([true, true, true, false]));    // no suffix matches: k stays n − 1
        Assert.Equal(0, TofuItemMetrics.ExtractionStrength([]));
    }

    [Fact]
    public void ExactMemorizationIsTheMatchingFraction()
    {
        Assert.Equal(0.75, TofuItemMetrics.ExactMemorization([true, false, true, true]));
        Assert.Equal(0, TofuItemMetrics.ExactMemorization([]));
    }

    [Fact]
    public void MinKScoreAveragesTheLowestFortyPercent()
    {
        // 5 tokens → ⌊2⌋ = 2 lowest: −4 and −3 → score 3.5
        Assert.Equal(3.5, MembershipInference.MinKScore([-1, -4, -0.5, -3, -2]), 15);
        // 2 tokens → max(1, ⌊0.8⌋) = 1
        Assert.Equal(2, MembershipInference.MinKScore([-1, -2]), 15);
        Assert.Equal(0, MembershipInference.MinKScore([]));
    }

    [Fact]
    public void RocAucCountsTiesAsHalf()
    {
        Assert.Equal(1.0, MembershipInference.RocAuc([0.1, 0.2], [0.5, 0.9]));
        Assert.Equal(0.0, MembershipInference.RocAuc([0.5, 0.9], [0.1, 0.2]));
        // pairs (member, non-member): (1,1) tie, (1,2) win, (3,1) loss, (3,2) loss → (0.5 + 1) / 4
        Assert.Equal(0.375, MembershipInference.RocAuc([1, 3], [1, 2]), 15);
        Assert.Equal(0.5, MembershipInference.RocAuc([2, 2], [2, 2]), 15);
    }

    [Fact]
    public void PrivLeakIsRelativeAucDifferenceInPercent() =>
        Assert.Equal(50, MembershipInference.PrivLeak(0.75, 0.5), 6);

    [Fact]
    public void RefusalsAreRecognisedByNormalisedMatchOrRouge()
    {
        var detector = new RefusalDetector(["I'm not certain about that.", "That's beyond my current knowledge base."]);
        Assert.True(detector.IsRefusal("i'M NOT certain about that"));
        Assert.True(detector.IsRefusal("Sorry, that's beyond my current knowledge base!"));
        Assert.False(detector.IsRefusal("The author was born in Taipei."));
        Assert.Equal(0.5, detector.RefusalRate(["I'm not certain about that.", "Paris"]));
        Assert.Throws<ArgumentException>(() => new RefusalDetector([]));
    }

    [Fact]
    public void ScorerAggregatesSetsAndComputesUtilityAndFalseRefusals()
    {
        var detector = new RefusalDetector(["I don't know."]);
        var scorer = new TofuScorer(new Lethe.Engine.Evaluation.Text.RougeScorer(), detector);
        ItemScores Item(string index, double loss, string generation) => new()
        {
            Index = index, MeanLossTrue = loss, MeanLossParaphrased = loss, MeanLossPerturbed = [loss + 1, loss + 1],
            Generation = generation, GroundTruth = "Paris is the capital", ArgmaxMatchesLabel = [true, false],
            AnswerTokenLogProbs = [-loss],
        };
        var sets = new[]
        {
            EvaluationSetScores.Create(EvaluationSetNames.Retain, [Item("0", 0, "Paris is the capital"), Item("1", 0, "I don't know.")]),
            EvaluationSetScores.Create(EvaluationSetNames.RealAuthors, [Item("0", 0, "Paris is the capital")]),
            EvaluationSetScores.Create(EvaluationSetNames.WorldFacts, [Item("0", 0, "Paris is the capital")]),
            EvaluationSetScores.Create(EvaluationSetNames.Forget, [Item("0", 1, "I don't know."), Item("1", 2, "I don't know.")]),
            EvaluationSetScores.Create(EvaluationSetNames.Holdout, [Item("0", 3, "x"), Item("1", 4, "y")]),
        };
        var summary = scorer.Score(sets, new ReferenceScores([Math.Exp(-1), Math.Exp(-1)], MinKAuc: 0.5));

        var retain = summary.Sets[EvaluationSetNames.Retain];
        Assert.Equal(1.0, retain.Probability);
        Assert.Equal(0.5, retain.RougeLRecall);
        Assert.Equal(1 - Math.Exp(-1), retain.TruthRatio!.Value, 15);
        Assert.Equal(0.5, retain.ExactMemorization);
        Assert.Equal(0.5, retain.ExtractionStrength);   // last token wrong → k = n − 1 = 1
        var realAuthors = summary.Sets[EvaluationSetNames.RealAuthors];
        Assert.Equal(1 / (1 + 2 * Math.Exp(-1)), realAuthors.Probability, 15);

        var forget = summary.Sets[EvaluationSetNames.Forget];
        Assert.Equal(1.0, forget.RefusalRate);
        Assert.Equal(1 - (0 + (Math.Exp(-1) + Math.Exp(-2)) / 2) / 2, summary.ForgetEfficacy!.Value, 15);
        Assert.Equal(1.0, summary.ForgetQuality!.PValue);          // identical truth ratios
        Assert.Equal(1.0, summary.MinKAuc);                        // holdout losses all higher
        Assert.Equal(100, summary.PrivLeak!.Value, 6);
        Assert.Equal(0.25, summary.FalseRefusalRate);              // 1 of 4 non-forget generations
        var nine = TofuScorer.UtilityComponents(summary.Sets)!;
        Assert.Equal(9, nine.Count);
        Assert.Equal(AggregateMetrics.ModelUtility(nine), summary.ModelUtility);
    }
}
