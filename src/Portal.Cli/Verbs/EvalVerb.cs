using System.CommandLine;
using Lethe.Engine.DemoWorld;
using Lethe.Engine.Evaluation.Logs;
using Lethe.Engine.Evaluation.Runner;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>
/// `lethe eval --model DIR --data DIR [--forget-split forget10] [--reference FILE] [--max-items N] [--spec FILE]
/// [--preset demo|tofu] --out DIR`: evaluates a model folder on TOFU-format data, shows progress and a summary table,
/// and writes TOFU_EVAL.json, TOFU_SUMMARY.json and EVAL_RUN.json.
/// </summary>
public sealed class EvalVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json, model.safetensors, tokenizer.json)", Required = true };
        var data = new Option<string>("--data") { Description = "Data folder in TOFU's layout (TOFU, or a demo world)", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for TOFU_EVAL.json, TOFU_SUMMARY.json and EVAL_RUN.json", Required = true };
        var forgetSplit = new Option<string?>("--forget-split") { Description = "forget01, forget05 or forget10 (default: the spec's, forget10)" };
        var reference = new Option<string?>("--reference") { Description = "Reference (retain-model) log for forget quality: TOFU_EVAL.json or eval_log_aggregated.json" };
        var maxItems = new Option<int?>("--max-items") { Description = "At most N items per set (the first N)" };
        var specFile = new Option<string?>("--spec") { Description = "Evaluation spec JSON file (see EvaluationSpec)" };
        var preset = new Option<string?>("--preset") { Description = "demo or tofu (default: demo when the data folder has a demo manifest.json, else tofu)" };
        var command = new Command("eval", "Evaluate a model with the TOFU metrics and write open-unlearning-shaped results")
        {
            model, data, output, forgetSplit, reference, maxItems, specFile, preset,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var dataDirectory = parseResult.GetValue(data)!;
                var spec = ResolveSpec(dataDirectory, parseResult.GetValue(specFile), parseResult.GetValue(preset),
                    parseResult.GetValue(forgetSplit), parseResult.GetValue(reference), parseResult.GetValue(maxItems));
                var console = CliConsole.For(parseResult.InvocationConfiguration.Output);
                var result = RunWithProgress(console, parseResult.GetValue(model)!, dataDirectory, spec, cancellationToken);
                var outDirectory = parseResult.GetValue(output)!;
                EvaluationOutput.Write(outDirectory, result);
                EvaluationTable.Render(console, result, $"Evaluation of {parseResult.GetValue(model)} ({spec.Name}, {result.PromptFormat})");
                console.MarkupLine($"wrote {Markup.Escape(Path.Combine(outDirectory, OpenUnlearningLogWriter.EvalFileName))}, " +
                    $"{OpenUnlearningLogWriter.SummaryFileName}, {EvaluationOutput.RunFileName}");
                return Task.FromResult(0);
            }
            catch (OperationCanceledException)
            {
                error.WriteLine("eval: cancelled");
                return Task.FromResult(130);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or InvalidOperationException)
            {
                error.WriteLine($"eval: {e.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }

    /// <summary>--spec file, else --preset, else demo/tofu by the data folder; then the command-line overrides.</summary>
    public static EvaluationSpec ResolveSpec(string dataDirectory, string? specFile, string? preset, string? forgetSplit, string? reference, int? maxItems)
    {
        EvaluationData.RequireFolder(dataDirectory);
        var spec = specFile is not null ? EvaluationSpecJson.Load(specFile)
            : preset is not null ? EvaluationSpec.Preset(preset)
            : File.Exists(Path.Combine(dataDirectory, DemoWorldManifest.FileName)) ? EvaluationSpec.Demo
            : EvaluationSpec.Tofu;
        return (spec with
        {
            ForgetSplit = forgetSplit ?? spec.ForgetSplit,
            Reference = reference ?? spec.Reference,
            MaxItems = maxItems ?? spec.MaxItems,
        }).Validate();
    }

    /// <summary>Runs the evaluation with a progress bar on a terminal, silently otherwise.</summary>
    public static EvaluationResult RunWithProgress(IAnsiConsole console, string modelDirectory, string dataDirectory,
        EvaluationSpec spec, CancellationToken cancellationToken)
    {
        var runner = new EvaluationRunner(TimeProvider.System);
        if (!console.Profile.Capabilities.Interactive || !console.Profile.Capabilities.Ansi)
        {
            return runner.Run(modelDirectory, dataDirectory, spec, null, cancellationToken);
        }
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("loading", maxValue: 1);
                var progress = new ActionProgress<EvaluationProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Completed;
                    task.Description = $"{p.Set}: {p.Phase.ToString().ToLowerInvariant()} {p.SetCompleted}/{p.SetTotal}";
                });
                return runner.Run(modelDirectory, dataDirectory, spec, progress, cancellationToken);
            });
    }
}
