namespace Lethe.Engine.Unlearning;

/// <summary>How a request is scoped: one request with many QAs, one of a series on a lineage, or one fact only.</summary>
public enum UnlearningMode
{
    Batch,
    Sequential,
    Precise,
}

/// <summary>
/// What to forget and what must survive. <see cref="Retain"/> is the neighbour/retain set methods may train on or
/// protect; <see cref="Refusals"/> are the refusal sentences (Stage I targets, IdkNLL answers).
/// </summary>
public sealed record UnlearningRequest(
    string RequestId,
    IReadOnlyList<QaPair> Forget,
    IReadOnlyList<QaPair> Retain,
    IReadOnlyList<string> Refusals,
    UnlearningMode Mode = UnlearningMode.Batch,
    string? Subject = null,
    long Seed = 0);

/// <summary>Progress of a running method: stage name, step within it, a loss if the stage has one.</summary>
public sealed record UnlearningProgress(string Stage, int Step, int TotalSteps, double? Loss);

/// <summary>
/// The result of a run: the unlearned model (the input model may have been modified in place, or grown by a token),
/// wall time per stage, and how many parameters changed.
/// </summary>
public sealed record UnlearningOutcome(
    string Method,
    LanguageModel Model,
    IReadOnlyDictionary<string, double> StageSeconds,
    long ParametersChanged,
    long ParametersTotal,
    IReadOnlyDictionary<string, object?> Details)
{
    public double TotalSeconds => StageSeconds.Values.Sum();
    public double ParametersChangedShare => ParametersTotal == 0 ? 0 : (double)ParametersChanged / ParametersTotal;
}

/// <summary>An unlearning method (UniErase or a baseline) run on a loaded model.</summary>
public interface IUnlearningMethod
{
    /// <summary>Lower-case name used on the command line and in bench.json (unierase, gradascent, graddiff, npo, idknll, simnpo, rmu).</summary>
    string Name { get; }

    UnlearningOutcome Run(LanguageModel model, UnlearningRequest request, IProgress<UnlearningProgress>? progress, CancellationToken cancellationToken);
}
