using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lethe.Engine.Evaluation.Rescoring;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>`lethe rescore --log FILE [--reference FILE] [--json]`: recomputes every TOFU aggregate from a per-item log.</summary>
public sealed class RescoreVerb : ICliVerb
{
    public Command Build()
    {
        var log = new Option<string>("--log")
        {
            Description = "Per-item log: legacy TOFU eval_log_aggregated.json or open-unlearning TOFU_EVAL.json (file or folder)",
            Required = true,
        };
        var reference = new Option<string?>("--reference") { Description = "Reference (retain-model) log for forget quality" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var command = new Command("rescore", "Recompute TOFU metrics from an existing evaluation log and check stored ROUGE") { log, reference, json };
        command.SetAction(parseResult =>
        {
            var console = CliConsole.For(parseResult.InvocationConfiguration.Output);
            try
            {
                var report = new Rescorer().Rescore(parseResult.GetValue(log)!, parseResult.GetValue(reference));
                if (parseResult.GetValue(json))
                {
                    parseResult.InvocationConfiguration.Output.WriteLine(
                        RescoreJson.Build(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                }
                else
                {
                    RenderTable(console, report);
                }
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"rescore: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void RenderTable(IAnsiConsole console, RescoreReport report)
    {
        var table = new Table().Title($"TOFU rescore of {Markup.Escape(report.Log.Path)} ({report.Log.Format})")
            .AddColumns("set", "items", "probability", "ROUGE-L recall", "truth ratio", "ROUGE agreement");
        foreach (var (name, set) in report.Summary.Sets)
        {
            var agreement = report.RougeAgreement.First(a => a.Set == name);
            table.AddRow(name, set.Count.ToString(CultureInfo.InvariantCulture), EvaluationTable.Probability(set), Format(set.RougeLRecall),
                Format(set.TruthRatio), $"{agreement.Matching}/{agreement.Compared}");
        }
        console.Write(table);
        EvaluationTable.RenderHeadline(console, report.Summary);
        foreach (var mismatch in report.RougeAgreement.SelectMany(a => a.Mismatches.Select(m => (a.Set, m))))
        {
            console.MarkupLine($"[yellow]ROUGE mismatch[/] {mismatch.Set}[{mismatch.m.Index}]: stored {Format(mismatch.m.Stored)}, recomputed {Format(mismatch.m.Recomputed)}");
        }
    }

    private static string Format(double? value) => CliConsole.Metric(value);
}
