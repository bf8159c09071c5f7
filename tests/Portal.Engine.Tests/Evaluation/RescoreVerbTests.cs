using System.Text.Json.Nodes;
using Lethe.Engine.Tests.Cli;
using Lethe.Engine.Tests.Support;

namespace Lethe.Engine.Tests.Evaluation;

public sealed class RescoreVerbTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    [TofuFact]
    public void JsonOutputCarriesUtilityQualityAndPerSetNumbers()
    {
        var folder = Path.Combine(TofuData.Require(), "reference-eval");
        var (exitCode, output, error) = Run("rescore", "--log", Path.Combine(folder, "llama2-7b_full"),
            "--reference", Path.Combine(folder, "llama2-7b_retain90"), "--json");
        Assert.True(exitCode == 0, error);
        var json = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(0.6227, Math.Round(json["model_utility"]!.GetValue<double>(), 4));
        Assert.Equal(1.834066e-21, json["forget_quality"]!.GetValue<double>(), 1.834066e-27);
        foreach (var set in new[] { "retain", "forget", "real_authors", "world_facts" })
        {
            var entry = json[set]!.AsObject();
            Assert.True(entry.ContainsKey("probability") && entry.ContainsKey("rouge_l_recall") && entry.ContainsKey("truth_ratio"), set);
            Assert.Equal(entry["rouge_agreement"]!["compared"]!.GetValue<int>(), entry["rouge_agreement"]!["matching"]!.GetValue<int>());
        }
        Assert.Equal(0.9909, Math.Round(json["forget"]!["probability"]!.GetValue<double>(), 4));
    }

    [TofuFact]
    public void TableOutputShowsEverySetAndTheAggregates()
    {
        var folder = Path.Combine(TofuData.Require(), "reference-eval");
        var (exitCode, output, error) = Run("rescore", "--log", Path.Combine(folder, "llama2-7b_retain90"));
        Assert.True(exitCode == 0, error);
        foreach (var expected in new[] { "retain", "forget", "real_authors", "world_facts", "0.1476", "300/300", "model utility: 0.6137" })
        {
            Assert.True(output.Contains(expected, StringComparison.Ordinal), $"missing '{expected}' in:\n{output}");
        }
    }

    [Fact]
    public void MissingOrMalformedLogFailsWithAMessage()
    {
        var (exitCode, _, error) = Run("rescore", "--log", "/nonexistent/eval_log_aggregated.json", "--json");
        Assert.Equal(1, exitCode);
        Assert.Contains("Evaluation log not found: /nonexistent/eval_log_aggregated.json", error);

        var malformed = Path.GetTempFileName();
        try
        {
            File.WriteAllText(malformed, "{ not json");
            var (code, _, message) = Run("rescore", "--log", malformed);
            Assert.Equal(1, code);
            Assert.Contains($"{malformed}:1: malformed JSON", message);
        }
        finally
        {
            File.Delete(malformed);
        }
    }
}
