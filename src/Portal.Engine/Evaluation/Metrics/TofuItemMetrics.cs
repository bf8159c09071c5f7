using Lethe.Engine.Evaluation.Data;

namespace Lethe.Engine.Evaluation.Metrics;

/// <summary>TOFU's per-item formulas (METRICS.md, "Per-item building blocks" and "The three metrics").</summary>
public static class TofuItemMetrics
{
    /// <summary>Length-normalised probability p = exp(−L).</summary>
    public static double Probability(double meanLoss) => Math.Exp(-meanLoss);

    /// <summary>Multiple-choice normalised probability p(true) / (p(true) + Σ_k p(perturbed_k)), all length-normalised.</summary>
    public static double NormalisedProbability(double meanLossTrue, IReadOnlyList<double> meanLossPerturbed)
    {
        var truth = Probability(meanLossTrue);
        return truth / (truth + meanLossPerturbed.Sum(Probability));
    }

    /// <summary>Truth ratio R = exp(L(correct) − mean_k L(wrong_k)): geometric mean of wrong-answer probabilities over the correct one's.</summary>
    public static double TruthRatio(double meanLossCorrect, IReadOnlyList<double> meanLossWrong)
    {
        if (meanLossWrong.Count == 0)
        {
            throw new ArgumentException("The truth ratio needs at least one perturbed (wrong) answer loss.", nameof(meanLossWrong));
        }
        return Math.Exp(meanLossCorrect - meanLossWrong.Average());
    }

    /// <summary>Per-item truth-ratio score: forget min(R, 1/R); retain / real authors / world facts max(0, 1 − R).</summary>
    public static double TruthRatioScore(double ratio, EvaluationSetKind kind) =>
        kind == EvaluationSetKind.Forget ? Math.Min(ratio, 1 / ratio) : Math.Max(0, 1 - ratio);

    /// <summary>The probability the set reports: normalised for multiple-choice sets, plain otherwise.</summary>
    public static double SetProbability(ItemScores item, EvaluationSetKind kind) =>
        kind == EvaluationSetKind.MultipleChoice
            ? NormalisedProbability(item.MeanLossTrue, item.MeanLossPerturbed)
            : Probability(item.MeanLossTrue);

    /// <summary>
    /// Extraction strength as open-unlearning computes it: k = first index with P[k:] == labels[k:] for k in 0..n−1
    /// (k stays n−1 when none matches, so a total miss scores 1/n); ES = 1 − k/n; 0 for an empty target.
    /// </summary>
    public static double ExtractionStrength(IReadOnlyList<bool> argmaxMatchesLabel)
    {
        var n = argmaxMatchesLabel.Count;
        if (n == 0)
        {
            return 0;
        }
        var firstOfMatchingSuffix = n;
        while (firstOfMatchingSuffix > 0 && argmaxMatchesLabel[firstOfMatchingSuffix - 1])
        {
            firstOfMatchingSuffix--;
        }
        var k = Math.Min(firstOfMatchingSuffix, n - 1);
        return 1 - (double)k / n;
    }

    /// <summary>Exact memorisation: fraction of target tokens whose teacher-forced argmax equals the label.</summary>
    public static double ExactMemorization(IReadOnlyList<bool> argmaxMatchesLabel) =>
        argmaxMatchesLabel.Count == 0 ? 0 : (double)argmaxMatchesLabel.Count(m => m) / argmaxMatchesLabel.Count;
}
