using Lethe.Engine.Unlearning.Diagnostics;
using Lethe.Engine.Unlearning.NullSpace;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>A request's target optimisation: final loss, steps, convergence and whether its key fell back to prompt-last.</summary>
public sealed record RequestTargetReport(string RequestId, string Question, double FinalLoss, int Steps, bool Converged, bool KeyFellBack);

/// <summary>
/// The refusal rows' target optimisation (<see cref="RefusalRows"/>): rows, how many reached -log p &lt; the convergence
/// threshold, the mean row loss before and after, the worst row loss and the most steps taken.
/// </summary>
public sealed record RefusalRowsReport(int Rows, int Converged, double InitialMeanLoss, double MeanLoss, double WorstLoss, int Steps);

/// <summary>The projector of one edited layer: the threshold used and the kept null-space rank.</summary>
public sealed record LayerProjectorReport(int Layer, string Threshold, int KeptRank, int Dimension, double KeptEnergyShare, double NormalEquationResidual);

/// <summary>
/// Behaviour of the edited model: share of forget prompts whose first token is [UNL], share of those answers that are
/// refusals, share of retained questions whose first token is [UNL] (false triggering), and how often [UNL] came first
/// without a refusal following. Under <see cref="EditRounds"/> it is measured once, after a request's last round, on all of
/// the request's questions and against the model before the request, and only the last round's record carries it.
/// </summary>
public sealed record EditBehaviour(double ForgetUnlFirstRate, double ForgetRefusalRate, double RetainedFalseUnlRate, double UnlWithoutRefusalRate)
{
    /// <summary>Share of sampled retained questions whose greedy answer differs from the answer before the edit.</summary>
    public double RetainedChangedRate { get; init; }

    /// <summary>
    /// Mean ROUGE-L recall of each sampled retained answer after the edit against the answer before it (1 = unchanged):
    /// how much changed answers changed, where <see cref="RetainedChangedRate"/> counts any changed token.
    /// </summary>
    public double RetainedSimilarity { get; init; } = 1;
}

/// <summary>Everything measured about one Stage II edit (stored in the edit record, shown as evidence).</summary>
public sealed record EditDiagnostics(
    IReadOnlyList<LayerKeyDiagnostics> Layers,
    IReadOnlyList<LayerProjectorReport> Projectors,
    IReadOnlyList<RequestTargetReport> Targets,
    EditBehaviour? Behaviour,
    GateDecision Gate)
{
    /// <summary>The refusal rows' targets, when the edit had refusal rows.</summary>
    public RefusalRowsReport? RefusalRows { get; init; }
}

/// <summary>Thrown when the gate stops an edit; the model is left unchanged.</summary>
public sealed class EditRejectedException(EditDiagnostics diagnostics)
    : Exception($"The edit was not applied: {string.Join("; ", diagnostics.Gate.Reasons)}. Suggestion: {diagnostics.Gate.Suggestion}")
{
    public EditDiagnostics Diagnostics { get; } = diagnostics;
}

internal static class ProjectorReports
{
    public static LayerProjectorReport From(int layer, NullSpaceProjector projector, double normalResidual) =>
        new(layer, projector.Threshold.ToString(), projector.KeptRank, (int)projector.Dimension, projector.Spectrum.KeptEnergyShare, normalResidual);
}
