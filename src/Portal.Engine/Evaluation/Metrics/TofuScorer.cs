using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Text;

namespace Lethe.Engine.Evaluation.Metrics;

/// <summary>What forget quality and PrivLeak compare against: the reference (retain) model's numbers.</summary>
public sealed record ReferenceScores(IReadOnlyList<double> ForgetTruthRatios, double? MinKAuc = null);

/// <summary>Turns per-item scores into per-set metrics and run aggregates exactly as METRICS.md defines them.</summary>
public sealed class TofuScorer(RougeScorer rouge, RefusalDetector? refusals = null)
{
    public TofuScorer() : this(new RougeScorer())
    {
    }

    public SetMetrics ScoreSet(EvaluationSetScores set)
    {
        var items = set.Items.Select(item => ScoreItem(item, set.Kind)).ToList();
        return new SetMetrics(
            set.Name, set.Kind, items.Count,
            Probability: items.Count == 0 ? 0 : items.Average(i => i.Probability),
            RougeLRecall: MeanOrNull(items.Select(i => i.RougeLRecall)),
            Rouge1Recall: MeanOrNull(items.Select(i => i.Rouge1Recall)),
            TruthRatio: MeanOrNull(items.Select(i => i.TruthRatio is { } r ? TofuItemMetrics.TruthRatioScore(r, set.Kind) : (double?)null)),
            ExtractionStrength: MeanOrNull(items.Select(i => i.ExtractionStrength)),
            ExactMemorization: MeanOrNull(items.Select(i => i.ExactMemorization)),
            RefusalRate: MeanOrNull(items.Select(i => i.Refused is { } refused ? (refused ? 1.0 : 0.0) : (double?)null)),
            Items: items);
    }

    public ItemMetrics ScoreItem(ItemScores item, EvaluationSetKind kind)
    {
        var hasText = item.Generation is not null && item.GroundTruth is not null;
        return new ItemMetrics(
            item.Index,
            TofuItemMetrics.SetProbability(item, kind),
            RougeLRecall: hasText ? rouge.RougeLRecall(item.GroundTruth!, item.Generation!) : null,
            Rouge1Recall: hasText ? rouge.Rouge1Recall(item.GroundTruth!, item.Generation!) : null,
            TruthRatio: item.MeanLossPerturbed.Count > 0 ? TofuItemMetrics.TruthRatio(item.CorrectAnswerLoss, item.MeanLossPerturbed) : null,
            ExtractionStrength: item.ArgmaxMatchesLabel is { } es ? TofuItemMetrics.ExtractionStrength(es) : null,
            ExactMemorization: item.ArgmaxMatchesLabel is { } em ? TofuItemMetrics.ExactMemorization(em) : null,
            MinKScore: item.AnswerTokenLogProbs is { } lp ? MembershipInference.MinKScore(lp) : null,
            Refused: refusals is not null && item.Generation is not null ? refusals.IsRefusal(item.Generation) : null);
    }

    /// <summary>Scores every set, then model utility (when retain, real_authors and world_facts all have ROUGE and truth ratios), FE, FQ, AUC, PrivLeak and the false-refusal rate.</summary>
    public EvaluationSummary Score(IEnumerable<EvaluationSetScores> sets, ReferenceScores? reference = null)
    {
        var scored = sets.Select(ScoreSet).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var forget = scored.GetValueOrDefault(EvaluationSetNames.Forget);
        var minKAuc = MinKAuc(forget, scored.GetValueOrDefault(EvaluationSetNames.Holdout));
        var nonForget = EvaluationSetNames.UtilitySets.Where(scored.ContainsKey).SelectMany(n => scored[n].Items)
            .Where(i => i.Refused.HasValue).ToList();
        return new EvaluationSummary(
            scored,
            ModelUtility: ModelUtility(scored),
            ForgetQuality: forget is not null && reference is not null && forget.TruthRatios.Count > 0
                ? AggregateMetrics.ForgetQuality(forget.TruthRatios, reference.ForgetTruthRatios) : null,
            ForgetEfficacy: forget?.RougeLRecall is { } forgetRouge ? AggregateMetrics.ForgetEfficacy(forgetRouge, forget.Probability) : null,
            MinKAuc: minKAuc,
            PrivLeak: minKAuc is { } auc && reference?.MinKAuc is { } referenceAuc ? MembershipInference.PrivLeak(auc, referenceAuc) : null,
            FalseRefusalRate: nonForget.Count == 0 ? null : nonForget.Average(i => i.Refused!.Value ? 1.0 : 0.0));
    }

    /// <summary>The 9 model-utility components in order (retain, real_authors, world_facts) × (Probability, ROUGE-L, Truth Ratio); null if any is missing.</summary>
    public static IReadOnlyList<double>? UtilityComponents(IReadOnlyDictionary<string, SetMetrics> sets)
    {
        var components = new List<double>();
        foreach (var name in EvaluationSetNames.UtilitySets)
        {
            if (!sets.TryGetValue(name, out var set) || set.RougeLRecall is not { } rougeL || set.TruthRatio is not { } truth)
            {
                return null;
            }
            components.AddRange([set.Probability, rougeL, truth]);
        }
        return components;
    }

    private static double? ModelUtility(IReadOnlyDictionary<string, SetMetrics> sets) =>
        UtilityComponents(sets) is { } components ? AggregateMetrics.ModelUtility(components) : null;

    private static double? MinKAuc(SetMetrics? forget, SetMetrics? holdout)
    {
        var members = forget?.Items.Where(i => i.MinKScore.HasValue).Select(i => i.MinKScore!.Value).ToList();
        var nonMembers = holdout?.Items.Where(i => i.MinKScore.HasValue).Select(i => i.MinKScore!.Value).ToList();
        return members is { Count: > 0 } && nonMembers is { Count: > 0 } ? MembershipInference.RocAuc(members, nonMembers) : null;
    }

    private static double? MeanOrNull(IEnumerable<double?> values)
    {
        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : present.Average();
    }
}
