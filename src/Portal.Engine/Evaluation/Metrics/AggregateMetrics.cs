namespace Lethe.Engine.Evaluation.Metrics;

/// <summary>Run-level aggregates (METRICS.md, "Aggregates").</summary>
public static class AggregateMetrics
{
    /// <summary>Model utility = harmonic mean n / Σ 1/x_i of the 9 utility numbers; 0 if any is 0.</summary>
    public static double ModelUtility(IReadOnlyList<double> components)
    {
        if (components.Count == 0)
        {
            throw new ArgumentException("Model utility needs at least one component.", nameof(components));
        }
        if (components.Any(c => c < 0 || double.IsNaN(c)))
        {
            throw new ArgumentException("Model utility components must be non-negative numbers.", nameof(components));
        }
        return components.Any(c => c == 0) ? 0 : components.Count / components.Sum(c => 1 / c);
    }

    /// <summary>Our forget efficacy FE = 1 − mean(forget ROUGE-L recall, forget probability) (a reduced form of the UniErase paper's FE).</summary>
    public static double ForgetEfficacy(double forgetRougeLRecall, double forgetProbability) =>
        1 - (forgetRougeLRecall + forgetProbability) / 2;

    /// <summary>Forget quality = two-sided exact KS p-value between the unlearned and the reference model's forget-set truth ratios.</summary>
    public static KolmogorovSmirnovResult ForgetQuality(IReadOnlyList<double> truthRatios, IReadOnlyList<double> referenceTruthRatios) =>
        KolmogorovSmirnov.TwoSample(truthRatios, referenceTruthRatios);
}
