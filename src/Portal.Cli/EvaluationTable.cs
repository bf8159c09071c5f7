using System.Globalization;
using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Evaluation.Runner;
using Spectre.Console;
using static Lethe.Cli.CliConsole;

namespace Lethe.Cli;

/// <summary>The terminal summary of an evaluation run: per-set metrics, run aggregates, and where the time went.</summary>
public static class EvaluationTable
{
    public static void Render(IAnsiConsole console, EvaluationResult result, string title)
    {
        var table = new Table().Title(Markup.Escape(title))
            .AddColumns("set", "items", "probability", "ROUGE-L recall", "truth ratio", "ES", "EM", "refusal rate");
        foreach (var (name, set) in result.Summary.Sets)
        {
            table.AddRow(name, set.Count.ToString(CultureInfo.InvariantCulture), Probability(set), Metric(set.RougeLRecall),
                Metric(set.TruthRatio), Metric(set.ExtractionStrength), Metric(set.ExactMemorization), Metric(set.RefusalRate));
        }
        console.Write(table);
        var summary = result.Summary;
        RenderHeadline(console, summary);
        console.MarkupLine($"Min-K% (k = 0.4) MIA AUC, forget vs holdout: {Metric(summary.MinKAuc)}; PrivLeak: {Metric(summary.PrivLeak)}");
        console.MarkupLine($"false-refusal rate (retain, real authors, world facts): {Metric(summary.FalseRefusalRate)}");
        RenderTiming(console, result.Timing);
    }

    /// <summary>A set's probability, marked when it is the multiple-choice normalised one.</summary>
    public static string Probability(SetMetrics set) =>
        Metric(set.Probability) + (set.Kind == EvaluationSetKind.MultipleChoice ? " (norm.)" : "");

    /// <summary>Model utility, forget quality (when a reference was given) and our forget efficacy.</summary>
    public static void RenderHeadline(IAnsiConsole console, EvaluationSummary summary)
    {
        console.MarkupLine($"model utility: [bold]{Metric(summary.ModelUtility)}[/]");
        if (summary.ForgetQuality is { } fq)
        {
            console.MarkupLine($"forget quality: [bold]{fq.PValue.ToString("0.000000e+00", CultureInfo.InvariantCulture)}[/] (KS D = {Metric(fq.Statistic)}, {fq.Method})");
        }
        console.MarkupLine($"forget efficacy (ours: 1 − mean(forget ROUGE-L, forget probability)): {Metric(summary.ForgetEfficacy)}");
    }

    public static void RenderTiming(IAnsiConsole console, EvaluationTiming timing)
    {
        var table = new Table().Title("time").AddColumns("part", "seconds", "share", "throughput");
        void Row(string part, TimeSpan span, string throughput) => table.AddRow(part, Seconds(span),
            (span.TotalSeconds / Math.Max(timing.Total.TotalSeconds, 1e-9)).ToString("P0", CultureInfo.InvariantCulture), throughput);
        Row("generation", timing.Generation, $"{timing.GeneratedSequences} sequences, {timing.GeneratedTokensPerSecond:N0} new tokens/s");
        Row("scoring", timing.Scoring, $"{timing.ScoredSequences} sequences, {timing.ScoredTokensPerSecond:N0} tokens/s");
        Row("other", timing.Other, "data, metrics");
        Row("total", timing.Total, $"{timing.Items} items, {timing.ItemsPerSecond.ToString("N2", CultureInfo.InvariantCulture)} items/s");
        console.Write(table);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
}
