namespace Lethe.Engine.Unlearning.Diagnostics;

/// <summary>
/// Key diagnostics of one edited layer: forget-to-nearest-retained cosine (mean/max over forget keys) and the average
/// share of key energy inside the null space, ||P k||^2 / ||k||^2, for forget and for retained keys.
/// An edit can be selective when forget keys keep much energy in the null space and retained keys little.
/// </summary>
public sealed record LayerKeyDiagnostics(
    int Layer,
    double ForgetRetainedCosineMean,
    double ForgetRetainedCosineMax,
    double ForgetNullSpaceEnergy,
    double RetainedNullSpaceEnergy)
{
    /// <summary>||Delta||_F / ||W||_F of the layer's update, once it is known.</summary>
    public double? RelativeUpdateNorm { get; init; }
}

/// <summary>Outcome of one request's target-value optimisation as seen by the gate.</summary>
public sealed record TargetOutcome(string RequestId, double FinalLoss, bool Converged);
