using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Lethe.Engine;
using Lethe.Engine.DemoWorld;
using Lethe.Engine.Evaluation.Runner;
using Lethe.Engine.Training.Qa;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>
/// Hidden verb `bench-eval [--data DIR] [--model DIR] [--preset demo|tofu] [--max-items N] [--max-new-tokens N] [--json FILE]`:
/// times the evaluation runner (items/s, generation vs scoring). Without --data the full demo world is generated into a
/// temporary folder; without --model a freshly initialised model of --recipe's size with a BPE tokenizer trained on the data.
/// </summary>
public sealed class BenchEvalVerb : ICliVerb
{
    public Command Build()
    {
        var data = new Option<string?>("--data") { Description = "Data folder (default: the full demo world, generated)" };
        var model = new Option<string?>("--model") { Description = "Model folder (default: a fresh tiny model over the data's vocabulary)" };
        var preset = new Option<string?>("--preset") { Description = "demo or tofu (default: by the data folder)" };
        var maxItems = new Option<int?>("--max-items") { Description = "At most N items per set" };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Generation length (default 200)" };
        var recipe = new Option<string?>("--recipe") { Description = "Training recipe JSON whose model size the fresh model takes (e.g. configs/recipes/tofu-tiny.json; default: the recipe defaults)" };
        var json = new Option<string?>("--json") { Description = "Write the figures and the run description to this JSON file" };
        var command = new Command("bench-eval", "Time the evaluation runner (items/s, generation vs scoring)")
        {
            data, model, recipe, preset, maxItems, maxNewTokens, json,
        };
        command.Hidden = true;
        command.SetAction((parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult.InvocationConfiguration.Output);
            var dataDirectory = parseResult.GetValue(data) ?? GenerateFullDemoWorld(console);
            var spec = EvalVerb.ResolveSpec(dataDirectory, null, parseResult.GetValue(preset), null, null, parseResult.GetValue(maxItems));
            spec = spec with { MaxNewTokens = parseResult.GetValue(maxNewTokens) ?? spec.MaxNewTokens };
            var modelDirectory = parseResult.GetValue(model);
            var recipeFile = parseResult.GetValue(recipe);
            using var languageModel = modelDirectory is not null ? LanguageModel.Load(modelDirectory)
                : EvaluationBenchmark.FreshModel(dataDirectory, recipeFile is null ? new QaModelRecipe() : QaModelRecipeJson.Read(recipeFile));
            var error = parseResult.InvocationConfiguration.Error;
            var lastStage = "";
            var progress = new ActionProgress<EvaluationProgress>(p =>
            {
                var stage = $"{p.Set} {p.Phase.ToString().ToLowerInvariant()}";
                if (stage != lastStage)
                {
                    error.WriteLine($"bench-eval: {stage} ({p.SetTotal} sequences; {p.Completed}/{p.Total} done)");
                    lastStage = stage;
                }
            });
            var processorTimeBefore = Environment.CpuUsage.TotalTime;
            var result = new EvaluationRunner(TimeProvider.System).Run(languageModel, dataDirectory, spec, progress, cancellationToken);
            var figures = EvaluationBenchmark.Figures(result, Environment.CpuUsage.TotalTime - processorTimeBefore);
            var table = new Table().Title($"evaluation benchmark: {spec.Name} spec, {modelDirectory ?? "fresh model"}, {TorchRuntime.Initialise()} threads")
                .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("unit");
            foreach (var figure in figures)
            {
                table.AddRow(figure.Name, figure.Value.ToString("N2", CultureInfo.InvariantCulture), figure.Unit);
            }
            console.Write(table);
            if (parseResult.GetValue(json) is { } jsonPath)
            {
                var report = EvaluationOutput.BuildRun(result);
                report["model"] = modelDirectory ?? $"fresh model of recipe {recipeFile ?? "defaults"} (BPE on full.json)";
                report["model_config"] = JsonNode.Parse(Lethe.Engine.Modeling.LlamaConfigJson.Serialise(languageModel.Model.Config));
                report["data"] = dataDirectory;
                report["threads"] = TorchRuntime.Initialise();
                report["figures"] = new JsonArray(figures.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["value"] = f.Value, ["unit"] = f.Unit }).ToArray());
                File.WriteAllText(jsonPath, report.ToJsonString(new() { WriteIndented = true }));
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static string GenerateFullDemoWorld(IAnsiConsole console)
    {
        var directory = Directory.CreateTempSubdirectory("lethe-bench-world-").FullName;
        DemoWorldGenerator.Generate(DemoWorldOptions.Full).WriteTo(directory);
        console.MarkupLine($"generated the full demo world in {Markup.Escape(directory)}");
        return directory;
    }
}
