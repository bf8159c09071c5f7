using System.Text.Json.Nodes;
using Lethe.Engine.Evaluation.Data;

namespace Lethe.Engine.Evaluation.Rescoring;

/// <summary>The machine-readable form of a <see cref="RescoreReport"/>: one JSON object.</summary>
public static class RescoreJson
{
    public static JsonObject Build(RescoreReport report)
    {
        var summary = report.Summary;
        var json = new JsonObject
        {
            ["log"] = report.Log.Path,
            ["format"] = report.Log.Format.ToString(),
            ["model_utility"] = summary.ModelUtility,
        };
        if (summary.ForgetQuality is { } fq)
        {
            json["forget_quality"] = fq.PValue;
            json["ks_statistic"] = fq.Statistic;
            json["ks_method"] = fq.Method.ToString();
        }
        json["forget_efficacy"] = summary.ForgetEfficacy;
        foreach (var (name, set) in summary.Sets)
        {
            var agreement = report.RougeAgreement.First(a => a.Set == name);
            json[name] = new JsonObject
            {
                ["count"] = set.Count,
                ["probability"] = set.Probability,
                ["rouge_l_recall"] = set.RougeLRecall,
                ["rouge1_recall"] = set.Rouge1Recall,
                ["truth_ratio"] = set.TruthRatio,
                ["probability_kind"] = set.Kind == EvaluationSetKind.MultipleChoice ? "normalised" : "plain",
                ["rouge_agreement"] = new JsonObject
                {
                    ["compared"] = agreement.Compared,
                    ["matching"] = agreement.Matching,
                    ["mismatches"] = new JsonArray(agreement.Mismatches.Select(m => (JsonNode)new JsonObject
                    {
                        ["index"] = m.Index, ["stored"] = m.Stored, ["recomputed"] = m.Recomputed,
                    }).ToArray()),
                },
            };
        }
        return json;
    }
}
