using System.Text.Json.Nodes;
using Lethe.Engine.Evaluation.Logs;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>
/// Writes a run in open-unlearning's shapes — <c>TOFU_EVAL.json</c> (per item, incl. generations) and
/// <c>TOFU_SUMMARY.json</c>, both byte-identical for identical results — plus <c>EVAL_RUN.json</c> (the spec, prompt
/// format and timings; timings vary from run to run, so they live apart from the deterministic files).
/// </summary>
public static class EvaluationOutput
{
    public const string RunFileName = "EVAL_RUN.json";

    public static void Write(string directory, EvaluationResult result)
    {
        OpenUnlearningLogWriter.Write(directory, result.Sets, result.Summary);
        File.WriteAllText(Path.Combine(directory, RunFileName), BuildRun(result).ToJsonString(new() { WriteIndented = true }));
    }

    public static JsonObject BuildRun(EvaluationResult result)
    {
        var timing = result.Timing;
        return new JsonObject
        {
            ["spec"] = JsonNode.Parse(EvaluationSpecJson.Serialize(result.Spec)),
            ["prompt_format"] = result.PromptFormat,
            ["items"] = new JsonObject(result.Sets.Select(s => KeyValuePair.Create(s.Name, (JsonNode?)s.Items.Count))),
            ["timing"] = new JsonObject
            {
                ["total_seconds"] = timing.Total.TotalSeconds,
                ["generation_seconds"] = timing.Generation.TotalSeconds,
                ["scoring_seconds"] = timing.Scoring.TotalSeconds,
                ["other_seconds"] = timing.Other.TotalSeconds,
                ["items"] = timing.Items,
                ["items_per_second"] = timing.ItemsPerSecond,
                ["generated_sequences"] = timing.GeneratedSequences,
                ["generated_tokens"] = timing.GeneratedTokens,
                ["generated_tokens_per_second"] = timing.GeneratedTokensPerSecond,
                ["scored_sequences"] = timing.ScoredSequences,
                ["scored_tokens"] = timing.ScoredTokens,
                ["scored_tokens_per_second"] = timing.ScoredTokensPerSecond,
            },
        };
    }
}
