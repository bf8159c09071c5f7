using Lethe.Engine.Evaluation.Data;

namespace Lethe.Engine.Evaluation.Metrics;

/// <summary>One item's metric values; null where the inputs were not measured.</summary>
public sealed record ItemMetrics(
    string Index,
    double Probability,
    double? RougeLRecall,
    double? Rouge1Recall,
    double? TruthRatio,
    double? ExtractionStrength,
    double? ExactMemorization,
    double? MinKScore,
    bool? Refused);

/// <summary>
/// Aggregates of one evaluation set: Probability (normalised for real authors / world facts), ROUGE-L recall,
/// Truth Ratio score (min(R, 1/R) on forget sets, max(0, 1 − R) elsewhere), and the optional extra metrics.
/// </summary>
public sealed record SetMetrics(
    string Name,
    EvaluationSetKind Kind,
    int Count,
    double Probability,
    double? RougeLRecall,
    double? Rouge1Recall,
    double? TruthRatio,
    double? ExtractionStrength,
    double? ExactMemorization,
    double? RefusalRate,
    IReadOnlyList<ItemMetrics> Items)
{
    /// <summary>The raw per-item truth ratios R (the inputs of forget quality).</summary>
    public IReadOnlyList<double> TruthRatios => Items.Where(i => i.TruthRatio.HasValue).Select(i => i.TruthRatio!.Value).ToList();
}

/// <summary>Every number of one evaluation run, keyed by set name (see <see cref="EvaluationSetNames"/>).</summary>
public sealed record EvaluationSummary(
    IReadOnlyDictionary<string, SetMetrics> Sets,
    double? ModelUtility,
    KolmogorovSmirnovResult? ForgetQuality,
    double? ForgetEfficacy,
    double? MinKAuc,
    double? PrivLeak,
    double? FalseRefusalRate);
