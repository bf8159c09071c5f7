using Lethe.Engine.Evaluation.Logs;
using Lethe.Engine.Evaluation.Metrics;

namespace Lethe.Engine.Evaluation.Rescoring;

/// <summary>One item whose recomputed ROUGE-L recall differs from the value stored in the log.</summary>
public sealed record RougeMismatch(string Index, double Stored, double Recomputed);

/// <summary>How many items of a set carried a stored ROUGE-L recall, and which disagree with ours (|Δ| &gt; tolerance).</summary>
public sealed record RougeAgreement(string Set, int Compared, IReadOnlyList<RougeMismatch> Mismatches)
{
    public int Matching => Compared - Mismatches.Count;
}

/// <summary>Every aggregate recomputed from a log's per-item values, plus ROUGE agreement with the stored values.</summary>
public sealed record RescoreReport(EvaluationLog Log, EvaluationSummary Summary, IReadOnlyList<RougeAgreement> RougeAgreement);

/// <summary>Re-scores an existing per-item log (legacy TOFU or open-unlearning) with our metric implementations.</summary>
public sealed class Rescorer(TofuScorer scorer)
{
    public const double RougeTolerance = 1e-9;

    public Rescorer() : this(new TofuScorer())
    {
    }

    public RescoreReport Rescore(EvaluationLog log, ReferenceScores? reference = null)
    {
        var summary = scorer.Score(log.Sets, reference);
        var agreement = log.Sets.Select(set => Agreement(set, summary.Sets[set.Name])).ToList();
        return new RescoreReport(log, summary, agreement);
    }

    public RescoreReport Rescore(string logPath, string? referencePath = null) =>
        Rescore(EvaluationLog.Load(logPath), referencePath is null ? null : EvaluationLog.LoadReference(referencePath));

    private static RougeAgreement Agreement(EvaluationSetScores set, SetMetrics metrics)
    {
        var compared = 0;
        var mismatches = new List<RougeMismatch>();
        foreach (var (scores, item) in set.Items.Zip(metrics.Items))
        {
            if (scores.StoredRougeLRecall is not { } stored || item.RougeLRecall is not { } recomputed)
            {
                continue;
            }
            compared++;
            if (Math.Abs(stored - recomputed) > RougeTolerance)
            {
                mismatches.Add(new RougeMismatch(scores.Index, stored, recomputed));
            }
        }
        return new RougeAgreement(set.Name, compared, mismatches);
    }
}
