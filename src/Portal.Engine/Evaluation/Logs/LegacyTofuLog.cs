using System.Text.Json.Nodes;
using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Metrics;

namespace Lethe.Engine.Evaluation.Logs;

/// <summary>
/// Reads the original TOFU code's <c>eval_log_aggregated.json</c>: set file → field → item index → value, with sets
/// eval_log.json (retain), eval_log_forget.json (forget), eval_real_author_wo_options.json (real_authors) and
/// eval_real_world_wo_options.json (world_facts); per item avg_gt_loss, avg_paraphrased_loss, average_perturb_loss,
/// generated_text = [prompt, generation, ground truth] and the stored rougeL_recall.
/// </summary>
public static class LegacyTofuLog
{
    public static IReadOnlyDictionary<string, string> SetFiles { get; } = new Dictionary<string, string>
    {
        ["eval_log.json"] = EvaluationSetNames.Retain,
        ["eval_log_forget.json"] = EvaluationSetNames.Forget,
        ["eval_real_author_wo_options.json"] = EvaluationSetNames.RealAuthors,
        ["eval_real_world_wo_options.json"] = EvaluationSetNames.WorldFacts,
    };

    /// <summary>True when the top-level keys are the legacy set file names.</summary>
    public static bool Recognises(JsonObject root) => root.Any(p => SetFiles.ContainsKey(p.Key));

    public static IReadOnlyList<EvaluationSetScores> Read(string path) => Read(JsonLogFile.ReadObject(path), path);

    public static IReadOnlyList<EvaluationSetScores> Read(JsonObject root, string path)
    {
        var sets = new List<EvaluationSetScores>();
        foreach (var (file, name) in SetFiles)
        {
            if (root[file] is JsonObject set)
            {
                sets.Add(EvaluationSetScores.Create(name, ReadSet(set, $"{path}: set '{file}'")));
            }
        }
        return sets.Count > 0
            ? sets
            : throw new InvalidDataException($"{path}: no TOFU evaluation sets found (expected keys {string.Join(", ", SetFiles.Keys)}).");
    }

    private static List<ItemScores> ReadSet(JsonObject set, string where)
    {
        var losses = JsonLogFile.Object(set, "avg_gt_loss", where);
        var paraphrased = set["avg_paraphrased_loss"] as JsonObject;
        var perturbed = set["average_perturb_loss"] as JsonObject;
        var generated = set["generated_text"] as JsonObject;
        var storedRouge = set["rougeL_recall"] as JsonObject;
        var items = new List<ItemScores>();
        foreach (var (index, lossNode) in losses)
        {
            var at = $"{where} item '{index}'";
            var texts = generated?[index] as JsonArray;
            if (generated is not null && texts is not { Count: 3 })
            {
                throw new InvalidDataException($"{at}: generated_text must be [prompt, generation, ground truth].");
            }
            items.Add(new ItemScores
            {
                Index = index,
                MeanLossTrue = JsonLogFile.Number(lossNode, $"{at} avg_gt_loss"),
                MeanLossParaphrased = paraphrased is null ? null : JsonLogFile.Number(paraphrased[index], $"{at} avg_paraphrased_loss"),
                MeanLossPerturbed = perturbed is null ? [] : JsonLogFile.Numbers(perturbed[index], $"{at} average_perturb_loss"),
                Prompt = texts is null ? null : JsonLogFile.Text(texts[0], $"{at} generated_text[0]"),
                Generation = texts is null ? null : JsonLogFile.Text(texts[1], $"{at} generated_text[1]"),
                GroundTruth = texts is null ? null : JsonLogFile.Text(texts[2], $"{at} generated_text[2]"),
                StoredRougeLRecall = storedRouge is null ? null : JsonLogFile.Number(storedRouge[index], $"{at} rougeL_recall"),
            });
        }
        return items;
    }
}
