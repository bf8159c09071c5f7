using System.Globalization;
using Lethe.Engine.Unlearning.Records;
using Lethe.Engine.Unlearning.UniErase;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>Console tables of an edit: per-layer key diagnostics, targets, behaviour, gate, timings and parameter share.</summary>
internal static class EraseReport
{
    public static void Diagnostics(IAnsiConsole console, EditDiagnostics diagnostics)
    {
        var table = new Table().Title("UniErase diagnostics per edited layer")
            .AddColumns("layer", "forget→retained cos (mean/max)", "null-space energy forget", "null-space energy retained", "update / ||W||");
        foreach (var layer in diagnostics.Layers)
        {
            table.AddRow(layer.Layer.ToString(CultureInfo.InvariantCulture), $"{F(layer.ForgetRetainedCosineMean)} / {F(layer.ForgetRetainedCosineMax)}",
                F(layer.ForgetNullSpaceEnergy), F(layer.RetainedNullSpaceEnergy), layer.RelativeUpdateNorm is { } n ? F(n) : "—");
        }
        console.Write(table);
        var converged = diagnostics.Targets.Count(t => t.Converged);
        console.MarkupLine($"targets converged: {converged}/{diagnostics.Targets.Count}, worst loss {F(diagnostics.Targets.Max(t => t.FinalLoss))}, " +
                           $"keys fallen back to prompt-last: {diagnostics.Targets.Count(t => t.KeyFellBack)}");
        if (diagnostics.RefusalRows is { } rows)
        {
            console.MarkupLine($"refusal rows: {rows.Converged}/{rows.Rows} converged, mean loss {F(rows.InitialMeanLoss)} -> {F(rows.MeanLoss)}, worst {F(rows.WorstLoss)}");
        }
        if (diagnostics.Behaviour is { } b)
        {
            console.MarkupLine(Markup.Escape(
                $"[UNL] first on forget: {b.ForgetUnlFirstRate:P1}; forget refused: {b.ForgetRefusalRate:P1}; " +
                $"false [UNL] on retained: {b.RetainedFalseUnlRate:P1}; [UNL] without refusal: {b.UnlWithoutRefusalRate:P1}; retained answers changed: {b.RetainedChangedRate:P1}"));
        }
        console.MarkupLine(Markup.Escape(diagnostics.Gate.ToString()));
    }

    public static void Summary(IAnsiConsole console, EditRecordInfo info, string folder)
    {
        var timings = string.Join(", ", info.StageSeconds.Select(p => $"{p.Key} {p.Value:0.00}s"));
        console.MarkupLine(Markup.Escape(
            $"record {folder}: {info.ForgetQuestions.Count} QAs, Stage I token refusal on unseen questions {info.StageOne.HeldOutRefusalRate:P1} " +
            $"({info.StageOne.Seconds:0.0}s, one-time per lineage); Stage II {timings}; parameters changed {info.ParameterShare.Share:P3}"));
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
