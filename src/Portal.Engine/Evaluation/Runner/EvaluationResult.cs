using Lethe.Engine.Evaluation.Metrics;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>The stage of a run a progress report belongs to.</summary>
public enum EvaluationPhase
{
    Generating,
    Scoring,
}

/// <summary>
/// A progress report: the set and phase being worked on, and counts of model sequences (greedy generations and
/// teacher-forced answer scorings) done in that phase of that set and over the whole run.
/// </summary>
public sealed record EvaluationProgress(string Set, EvaluationPhase Phase, int SetCompleted, int SetTotal, int Completed, int Total)
{
    public double Fraction => Total == 0 ? 1 : (double)Completed / Total;
}

/// <summary>Where the time of a run went. Generation = greedy decoding; scoring = teacher-forced forward passes.</summary>
public sealed record EvaluationTiming(
    TimeSpan Total,
    TimeSpan Generation,
    TimeSpan Scoring,
    int Items,
    int GeneratedSequences,
    long GeneratedTokens,
    int ScoredSequences,
    long ScoredTokens)
{
    public double ItemsPerSecond => Items / Math.Max(Total.TotalSeconds, 1e-9);

    public double GeneratedTokensPerSecond => GeneratedTokens / Math.Max(Generation.TotalSeconds, 1e-9);

    public double ScoredTokensPerSecond => ScoredTokens / Math.Max(Scoring.TotalSeconds, 1e-9);

    /// <summary>Everything else: loading data, metric arithmetic.</summary>
    public TimeSpan Other => Total - Generation - Scoring;
}

/// <summary>
/// Everything one run measured: the spec and prompt format used, per-item model outputs for every set
/// (<see cref="Sets"/>: losses, generations, token log-probs and argmax flags), every metric per item, per set and in
/// aggregate (<see cref="Summary"/>: model utility, forget quality, FE, Min-K AUC, PrivLeak, false-refusal rate), and timings.
/// </summary>
public sealed record EvaluationResult(
    EvaluationSpec Spec,
    string PromptFormat,
    IReadOnlyList<EvaluationSetScores> Sets,
    EvaluationSummary Summary,
    EvaluationTiming Timing)
{
    /// <summary>The metrics of one set, or null when the spec did not include it.</summary>
    public SetMetrics? Set(string name) => Summary.Sets.GetValueOrDefault(name);
}
