using System.Text.Json.Nodes;
using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Metrics;
using static Lethe.Engine.Evaluation.Logs.OpenUnlearningKeys;

namespace Lethe.Engine.Evaluation.Logs;

/// <summary>
/// Reads open-unlearning's <c>TOFU_EVAL.json</c> (metric → {agg_value, value_by_index: {idx: {...}}}) back into per-item
/// scores: losses from *_Q_A_Prob / *_PARA_Prob / *_PERT_Prob (<c>avg_loss</c>, else −ln <c>prob</c>) and texts from
/// *_Q_A_ROUGE (<c>generation</c>, <c>ground_truth</c>, <c>input</c>, stored <c>rougeL_recall</c>).
/// </summary>
public static class OpenUnlearningLogReader
{
    public static bool Recognises(JsonObject root) => Prefixes.Values.Any(p => root[Probability(p)] is JsonObject);

    public static IReadOnlyList<EvaluationSetScores> Read(string path) => Read(JsonLogFile.ReadObject(path), path);

    public static IReadOnlyList<EvaluationSetScores> Read(JsonObject root, string path)
    {
        var sets = new List<EvaluationSetScores>();
        foreach (var (name, prefix) in Prefixes)
        {
            if (root[Probability(prefix)] is JsonObject)
            {
                sets.Add(EvaluationSetScores.Create(name, ReadSet(root, prefix, path)));
            }
        }
        return sets.Count > 0
            ? sets
            : throw new InvalidDataException($"{path}: no open-unlearning TOFU metrics found (expected e.g. '{Probability("forget")}').");
    }

    /// <summary>The reference's per-item forget truth ratios (<c>forget_truth_ratio.value_by_index[*].score</c>) and Min-K AUC if present.</summary>
    public static ReferenceScores ReadReference(JsonObject root, string path)
    {
        var where = $"{path}: {TruthRatio("forget")}";
        var byIndex = JsonLogFile.Object(JsonLogFile.Object(root, TruthRatio("forget"), path), "value_by_index", where);
        var ratios = byIndex.Select(p => JsonLogFile.Number((p.Value as JsonObject)?["score"], $"{where} item '{p.Key}' score")).ToList();
        var auc = (root[MinK] as JsonObject)?["agg_value"] is JsonValue value && value.TryGetValue<double>(out var a) ? a : (double?)null;
        return new ReferenceScores(ratios, auc);
    }

    private static List<ItemScores> ReadSet(JsonObject root, string prefix, string path)
    {
        var probability = ValueByIndex(root, Probability(prefix), path)!;
        var paraphrased = ValueByIndex(root, ParaphrasedProbability(prefix), path);
        var perturbed = ValueByIndex(root, PerturbedProbability(prefix), path);
        var rouge = ValueByIndex(root, Rouge(prefix), path);
        var items = new List<ItemScores>();
        foreach (var (index, node) in probability)
        {
            var at = $"{path}: {Probability(prefix)} item '{index}'";
            var texts = rouge?[index] as JsonObject;
            items.Add(new ItemScores
            {
                Index = index,
                MeanLossTrue = MeanLosses(node, at)[0],
                MeanLossParaphrased = paraphrased is null ? null : MeanLosses(paraphrased[index], $"{path}: {ParaphrasedProbability(prefix)} item '{index}'")[0],
                MeanLossPerturbed = perturbed is null ? [] : MeanLosses(perturbed[index], $"{path}: {PerturbedProbability(prefix)} item '{index}'"),
                Prompt = texts?["input"] is { } input ? JsonLogFile.Text(input, $"{at} input") : null,
                Generation = texts is null ? null : JsonLogFile.Text(texts["generation"], $"{path}: {Rouge(prefix)} item '{index}' generation"),
                GroundTruth = texts is null ? null : JsonLogFile.Text(texts["ground_truth"], $"{path}: {Rouge(prefix)} item '{index}' ground_truth"),
                StoredRougeLRecall = texts?["rougeL_recall"] is { } stored ? JsonLogFile.Number(stored, $"{path}: {Rouge(prefix)} item '{index}' rougeL_recall") : null,
            });
        }
        return items;
    }

    private static JsonObject? ValueByIndex(JsonObject root, string metric, string path) =>
        root[metric] is JsonObject entry ? JsonLogFile.Object(entry, "value_by_index", $"{path}: {metric}") : null;

    /// <summary>The item's mean loss(es): <c>avg_loss</c> (number or list), else −ln of <c>prob</c>.</summary>
    private static IReadOnlyList<double> MeanLosses(JsonNode? node, string where)
    {
        if (node is not JsonObject entry)
        {
            throw new InvalidDataException($"{where}: missing item entry.");
        }
        if (entry["avg_loss"] is { } loss)
        {
            return JsonLogFile.Numbers(loss, $"{where} avg_loss");
        }
        return JsonLogFile.Numbers(entry["prob"], $"{where} prob").Select(p => -Math.Log(p)).ToList();
    }
}
