namespace Lethe.Engine.Evaluation.Metrics;

/// <summary>Min-K% Prob membership inference, its ROC-AUC and PrivLeak (open-unlearning / MUSE conventions).</summary>
public static class MembershipInference
{
    public const double DefaultK = 0.4;

    /// <summary>Min-K% score = −mean of the lowest max(1, ⌊k·T⌋) token log-probs (0 for an empty answer); higher = less member-like.</summary>
    public static double MinKScore(IReadOnlyList<double> tokenLogProbs, double k = DefaultK)
    {
        if (tokenLogProbs.Count == 0)
        {
            return 0;
        }
        var count = Math.Max(1, (int)Math.Floor(tokenLogProbs.Count * k));
        return -tokenLogProbs.Order().Take(count).Average();
    }

    /// <summary>
    /// ROC-AUC with non-members (holdout) as the positive class, as open-unlearning's
    /// <c>roc_auc_score(labels = [0]*forget + [1]*holdout, scores)</c>: the Mann–Whitney
    /// P(s_holdout &gt; s_forget) + ½ P(tie), from average ranks.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> memberScores, IReadOnlyList<double> nonMemberScores)
    {
        if (memberScores.Count == 0 || nonMemberScores.Count == 0)
        {
            throw new ArgumentException("ROC-AUC needs at least one member and one non-member score.");
        }
        var pooled = memberScores.Select(s => (Score: s, Positive: false))
            .Concat(nonMemberScores.Select(s => (Score: s, Positive: true)))
            .OrderBy(p => p.Score).ToArray();
        var positiveRankSum = 0.0;
        for (var start = 0; start < pooled.Length;)
        {
            var end = start;
            while (end + 1 < pooled.Length && pooled[end + 1].Score == pooled[start].Score)
            {
                end++;
            }
            var averageRank = (start + end) / 2.0 + 1;
            for (var i = start; i <= end; i++)
            {
                positiveRankSum += pooled[i].Positive ? averageRank : 0;
            }
            start = end + 1;
        }
        double positives = nonMemberScores.Count, negatives = memberScores.Count;
        return (positiveRankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>PrivLeak = (AUC − AUC_reference) / (AUC_reference + 1e−10) × 100; near 0 is ideal.</summary>
    public static double PrivLeak(double auc, double referenceAuc) => (auc - referenceAuc) / (referenceAuc + 1e-10) * 100;
}
