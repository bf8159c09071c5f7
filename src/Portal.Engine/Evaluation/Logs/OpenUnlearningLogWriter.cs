using System.Text.Json;
using System.Text.Json.Nodes;
using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Metrics;
using static Lethe.Engine.Evaluation.Logs.OpenUnlearningKeys;

namespace Lethe.Engine.Evaluation.Logs;

/// <summary>
/// Writes open-unlearning's shapes: <c>TOFU_EVAL.json</c> (metric → {agg_value, value_by_index}) and
/// <c>TOFU_SUMMARY.json</c> (metric → agg_value). Item order and number formatting are deterministic.
/// </summary>
public static class OpenUnlearningLogWriter
{
    public const string EvalFileName = "TOFU_EVAL.json";
    public const string SummaryFileName = "TOFU_SUMMARY.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string directory, IReadOnlyList<EvaluationSetScores> sets, EvaluationSummary summary)
    {
        Directory.CreateDirectory(directory);
        var eval = BuildEval(sets, summary);
        File.WriteAllText(Path.Combine(directory, EvalFileName), eval.ToJsonString(Indented));
        File.WriteAllText(Path.Combine(directory, SummaryFileName), BuildSummary(eval).ToJsonString(Indented));
    }

    public static JsonObject BuildEval(IReadOnlyList<EvaluationSetScores> sets, EvaluationSummary summary)
    {
        var eval = new JsonObject();
        foreach (var set in sets)
        {
            if (Prefixes.TryGetValue(set.Name, out var prefix) && summary.Sets.TryGetValue(set.Name, out var metrics))
            {
                AddSet(eval, prefix, set, metrics);
            }
        }
        AddAggregate(eval, ModelUtility, summary.ModelUtility);
        AddAggregate(eval, ForgetQuality, summary.ForgetQuality?.PValue);
        AddAggregate(eval, ForgetEfficacy, summary.ForgetEfficacy);
        AddAggregate(eval, MinK, summary.MinKAuc);
        AddAggregate(eval, PrivLeak, summary.PrivLeak);
        AddAggregate(eval, FalseRefusalRate, summary.FalseRefusalRate);
        return eval;
    }

    /// <summary>metric → agg_value for every entry of a TOFU_EVAL object.</summary>
    public static JsonObject BuildSummary(JsonObject eval) =>
        new(eval.Select(p => KeyValuePair.Create(p.Key, (p.Value as JsonObject)?["agg_value"]?.DeepClone())));

    private static void AddSet(JsonObject eval, string prefix, EvaluationSetScores set, SetMetrics metrics)
    {
        var items = set.Items.Zip(metrics.Items, (scores, itemMetrics) => new ScoredItem(scores, itemMetrics)).ToList();
        eval[Probability(prefix)] = Metric(items.Average(p => TofuItemMetrics.Probability(p.Scores.MeanLossTrue)),
            items, p => new JsonObject { ["prob"] = TofuItemMetrics.Probability(p.Scores.MeanLossTrue), ["avg_loss"] = p.Scores.MeanLossTrue });
        if (set.Kind == EvaluationSetKind.MultipleChoice)
        {
            eval[NormalisedProbability(prefix)] = Metric(metrics.Probability, items, p => new JsonObject { ["prob"] = p.Metrics.Probability });
        }
        if (items.All(p => p.Scores.MeanLossParaphrased.HasValue))
        {
            var paraphrased = items.Select(p => TofuItemMetrics.Probability(p.Scores.MeanLossParaphrased!.Value)).ToList();
            eval[ParaphrasedProbability(prefix)] = Metric(paraphrased.Average(), items, p => new JsonObject
            {
                ["prob"] = TofuItemMetrics.Probability(p.Scores.MeanLossParaphrased!.Value), ["avg_loss"] = p.Scores.MeanLossParaphrased,
            });
        }
        if (items.All(p => p.Scores.MeanLossPerturbed.Count > 0))
        {
            eval[PerturbedProbability(prefix)] = Metric(items.Average(p => p.Scores.MeanLossPerturbed.Average(TofuItemMetrics.Probability)), items, p => new JsonObject
            {
                ["prob"] = new JsonArray(p.Scores.MeanLossPerturbed.Select(l => (JsonNode)TofuItemMetrics.Probability(l)).ToArray()),
                ["avg_loss"] = new JsonArray(p.Scores.MeanLossPerturbed.Select(l => (JsonNode)l).ToArray()),
            });
        }
        if (metrics.RougeLRecall is { } rougeL)
        {
            eval[Rouge(prefix)] = Metric(rougeL, items, p => new JsonObject
            {
                ["rougeL_recall"] = p.Metrics.RougeLRecall, ["rouge1_recall"] = p.Metrics.Rouge1Recall,
                ["input"] = p.Scores.Prompt, ["ground_truth"] = p.Scores.GroundTruth, ["generation"] = p.Scores.Generation,
            });
        }
        if (metrics.TruthRatio is { } truth)
        {
            eval[TruthRatio(prefix)] = Metric(truth, items, p => new JsonObject { ["score"] = p.Metrics.TruthRatio });
        }
        if (metrics.ExtractionStrength is { } es)
        {
            eval[Memorisation(ExtractionStrength, prefix)] = Metric(es, items, p => new JsonObject { ["score"] = p.Metrics.ExtractionStrength });
        }
        if (metrics.ExactMemorization is { } em)
        {
            eval[Memorisation(ExactMemorization, prefix)] = Metric(em, items, p => new JsonObject { ["score"] = p.Metrics.ExactMemorization });
        }
        AddAggregate(eval, RefusalRate(prefix), metrics.RefusalRate);
    }

    private readonly record struct ScoredItem(ItemScores Scores, ItemMetrics Metrics);

    private static JsonObject Metric(double aggregate, IEnumerable<ScoredItem> items, Func<ScoredItem, JsonObject> entry)
    {
        var byIndex = new JsonObject();
        foreach (var item in items)
        {
            byIndex[item.Scores.Index] = entry(item);
        }
        return new JsonObject { ["agg_value"] = aggregate, ["value_by_index"] = byIndex };
    }

    private static void AddAggregate(JsonObject eval, string key, double? value)
    {
        if (value is { } v)
        {
            eval[key] = new JsonObject { ["agg_value"] = v };
        }
    }
}
