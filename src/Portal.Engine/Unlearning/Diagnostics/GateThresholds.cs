namespace Lethe.Engine.Unlearning.Diagnostics;

/// <summary>
/// Limits of <see cref="EditGate"/>. Defaults come from the small-model experiment (FEASIBILITY): mean
/// forget-to-retained cosine 0.97-1.00 never gave a selective edit, 0.75-0.80 did.
/// </summary>
public sealed record GateThresholds
{
    /// <summary>Fail when the mean nearest-retained cosine of forget keys reaches this value at every edited layer.</summary>
    public double MaxForgetRetainedCosineMean { get; init; } = 0.95;

    /// <summary>Fail when forget keys keep less than this share of their energy in the null space at every layer.</summary>
    public double MinForgetNullSpaceEnergy { get; init; } = 0.05;

    /// <summary>Fail when forget energy share / retained energy share is below this at every layer.</summary>
    public double MinNullSpaceEnergyRatio { get; init; } = 2.0;

    /// <summary>Fail when a layer's update is larger than this fraction of its weight (||Delta||_F / ||W||_F).</summary>
    public double MaxRelativeUpdateNorm { get; init; } = 0.5;

    /// <summary>Fail when more than this share of requests did not reach the target loss.</summary>
    public double MaxUnconvergedShare { get; init; } = 0.0;
}
