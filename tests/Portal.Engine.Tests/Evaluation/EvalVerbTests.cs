using System.CommandLine;
using System.Text.Json.Nodes;
using Lethe.Cli;
using Lethe.Engine.Evaluation.Logs;
using Lethe.Engine.Evaluation.Runner;

namespace Lethe.Engine.Tests.Evaluation;

public sealed class EvalVerbTests(TinyEvaluationFixture fixture) : IClassFixture<TinyEvaluationFixture>
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private string SpecFile(string json)
    {
        var path = Path.Combine(fixture.NewDirectory("spec"), "spec.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void EvaluatesAModelFolderAndWritesTheFiles()
    {
        var output = fixture.NewDirectory("eval-out");
        var spec = SpecFile("""{ "preset": "demo", "max_new_tokens": 8 }""");
        var (exitCode, text, error) = Run("eval", "--model", fixture.ModelDirectory, "--data", fixture.WorldDirectory,
            "--spec", spec, "--max-items", "4", "--out", output);

        Assert.True(exitCode == 0, error);
        Assert.Contains("model utility", text);
        Assert.Contains("items/s", text);
        var eval = JsonNode.Parse(File.ReadAllText(Path.Combine(output, OpenUnlearningLogWriter.EvalFileName)))!.AsObject();
        Assert.Equal(4, eval["forget_Q_A_Prob"]!["value_by_index"]!.AsObject().Count);
        Assert.True(eval.ContainsKey("model_utility") && eval.ContainsKey("forget_truth_ratio") && eval.ContainsKey("mia_min_k"));
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(output, OpenUnlearningLogWriter.SummaryFileName)))!.AsObject();
        Assert.Equal(eval["model_utility"]!["agg_value"]!.GetValue<double>(), summary["model_utility"]!.GetValue<double>());
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(output, EvaluationOutput.RunFileName)))!.AsObject();
        Assert.Equal(4, run["spec"]!["max_items"]!.GetValue<int>());
        Assert.Equal("plain-qa", run["prompt_format"]!.GetValue<string>());
        Assert.True(run["timing"]!["generation_seconds"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void ReferenceOptionGivesForgetQuality()
    {
        var reference = fixture.NewDirectory("reference");
        var spec = SpecFile("""{ "max_new_tokens": 4, "sets": ["forget"] }""");
        Assert.Equal(0, Run("eval", "--model", fixture.ModelDirectory, "--data", fixture.WorldDirectory, "--spec", spec, "--out", reference).ExitCode);

        var output = fixture.NewDirectory("eval-out");
        var (exitCode, text, error) = Run("eval", "--model", fixture.ModelDirectory, "--data", fixture.WorldDirectory, "--spec", spec,
            "--reference", Path.Combine(reference, OpenUnlearningLogWriter.EvalFileName), "--out", output);

        Assert.True(exitCode == 0, error);
        Assert.Contains("forget quality: 1.000000e+00", text);
    }

    [Fact]
    public void SpecResolutionPicksThePresetFromTheDataFolder()
    {
        Assert.Equal("demo", Lethe.Cli.Verbs.EvalVerb.ResolveSpec(fixture.WorldDirectory, null, null, null, null, null).Name);
        var tofuLike = fixture.NewDirectory("tofu-like");
        var spec = Lethe.Cli.Verbs.EvalVerb.ResolveSpec(tofuLike, null, null, "forget05", "ref.json", 7);
        Assert.Equal(("tofu", "forget05", "ref.json", 7), (spec.Name, spec.ForgetSplit, spec.Reference, spec.MaxItems));
    }

    [Fact]
    public void BenchEvalTimesAFreshModelAndWritesFigures()
    {
        var json = Path.Combine(fixture.NewDirectory("bench"), "bench.json");
        var (exitCode, text, error) = Run("bench-eval", "--data", fixture.WorldDirectory, "--max-items", "2", "--max-new-tokens", "4", "--json", json);

        Assert.True(exitCode == 0, error);
        Assert.Contains("generation share", text);
        var report = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal("demo", report["spec"]!["name"]!.GetValue<string>());
        Assert.Equal(12, report["timing"]!["items"]!.GetValue<int>());
        Assert.Contains(report["figures"]!.AsArray(), f => f!["unit"]!.GetValue<string>() == "items/s");
    }

    [Fact]
    public void WrongModelOrDataFoldersFailWithAMessage()
    {
        var output = fixture.NewDirectory("eval-out");
        var missingModel = Path.Combine(fixture.Root, "no-model");
        var (code, _, error) = Run("eval", "--model", missingModel, "--data", fixture.WorldDirectory, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains($"eval: Model folder '{missingModel}' does not exist.", error);

        var (notAModel, _, message) = Run("eval", "--model", fixture.WorldDirectory, "--data", fixture.WorldDirectory, "--out", output);
        Assert.Equal(1, notAModel);
        Assert.Contains("is not a model folder: tokenizer.json is missing", message);

        var missingData = Path.Combine(fixture.Root, "no-data");
        var (dataCode, _, dataError) = Run("eval", "--model", fixture.ModelDirectory, "--data", missingData, "--out", output);
        Assert.Equal(1, dataCode);
        Assert.Contains($"eval: Data folder '{missingData}' does not exist.", dataError);

        var (splitCode, _, splitError) = Run("eval", "--model", fixture.ModelDirectory, "--data", fixture.WorldDirectory,
            "--forget-split", "forget33", "--out", output);
        Assert.Equal(1, splitCode);
        Assert.Contains("forget33", splitError);
        Assert.False(File.Exists(Path.Combine(output, OpenUnlearningLogWriter.EvalFileName)));
    }
}
