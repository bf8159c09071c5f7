using System.Globalization;

namespace Lethe.Portal.Web.DemoModel;

/// <summary>The wording of a demo model status, shared by the Models page, the engineer's home queue and the console log.</summary>
public static class DemoModelStatusText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>"Building", "Ready", "Not started", "Failed".</summary>
    public static string StateName(DemoModelState state) => state switch
    {
        DemoModelState.NotStarted => "Not started",
        DemoModelState.Building => "Building",
        DemoModelState.Ready => "Ready",
        DemoModelState.Failed => "Failed",
        _ => state.ToString(),
    };

    /// <summary>One line: "training 42% - about 3 min left - loss 0.8123", "memorisation".</summary>
    public static string Describe(DemoModelBuildStep step)
    {
        var parts = new List<string> { step.Percent is { } percent ? $"{step.Stage} {percent.ToString("0", Invariant)}%" : step.Stage };
        if (step.Eta is { } eta)
        {
            parts.Add($"about {Duration(eta)} left");
        }
        if (step.Loss is { } loss)
        {
            parts.Add($"loss {loss.ToString("0.0000", Invariant)}");
        }
        return string.Join(" - ", parts);
    }

    /// <summary>One line for the whole status: "Building: training 42% - about 3 min left", "Ready: 156/156 answers memorised".</summary>
    public static string Summary(DemoModelStatus status) => status.State switch
    {
        DemoModelState.Building when status.Step is { } step => $"Building: {Describe(step)}",
        DemoModelState.Ready when status.Facts is { } facts => $"Ready: {Memorisation(facts)}",
        DemoModelState.Failed => $"Failed: {status.Error}",
        DemoModelState.NotStarted when status.Note is { } note => $"Not started: {note}",
        _ => StateName(status.State),
    };

    /// <summary>"156/156 answers memorised (100%)".</summary>
    public static string Memorisation(DemoModelFacts facts) =>
        $"{facts.Build.MemorisationPassed}/{facts.Build.MemorisationTotal} answers memorised " +
        $"({(facts.Build.MemorisationShare * 100).ToString("0.#", Invariant)}%)";

    /// <summary>"42 s", "3 min", "1 h 05 min".</summary>
    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 90 => $"{Math.Max(0, Math.Round(span.TotalSeconds)).ToString(Invariant)} s",
        < 3600 => $"{Math.Round(span.TotalMinutes).ToString(Invariant)} min",
        _ => $"{(int)span.TotalHours} h {span.Minutes:00} min",
    };

    /// <summary>"1,246,336" (invariant grouping).</summary>
    public static string Count(long value) => value.ToString("N0", Invariant);
}
