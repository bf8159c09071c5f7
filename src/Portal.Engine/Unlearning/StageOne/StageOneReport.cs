namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>One finished phase: steps taken and mean loss of its last epoch.</summary>
public sealed record StageOnePhaseReport(string Name, string Row, int Steps, double FinalLoss);

/// <summary>
/// What Stage I did and how well the token works: refusal rate of question + [UNL] on the questions it trained on and on
/// questions it never saw (the method's ceiling), the share of ordinary answers the token's output row cut short, timing.
/// </summary>
public sealed record StageOneReport(
    int TrainedQuestions,
    int HeldOutQuestions,
    IReadOnlyList<StageOnePhaseReport> Phases,
    double TrainedRefusalRate,
    double HeldOutRefusalRate,
    double Seconds,
    bool TiedHead)
{
    /// <summary>Share of ordinary questions whose greedy answer starts with [UNL] before any edit (should be 0).</summary>
    public double SpontaneousUnlRate { get; init; }

    /// <summary>The refusal sentence(s) the token was trained to produce after [UNL] (empty in tokens saved before this was recorded).</summary>
    public IReadOnlyList<string> RefusalTargets { get; init; } = [];
}
