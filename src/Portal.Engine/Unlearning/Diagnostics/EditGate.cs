namespace Lethe.Engine.Unlearning.Diagnostics;

/// <summary>The gate's verdict: whether to apply the edit, why not, and what to try instead.</summary>
public sealed record GateDecision(bool Passed, IReadOnlyList<string> Reasons, string? Suggestion)
{
    public override string ToString() =>
        Passed ? "gate passed" : $"gate failed: {string.Join("; ", Reasons)}. Suggestion: {Suggestion}";
}

/// <summary>
/// Decides from diagnostics whether an edit can be selective before it is applied. A layer "separates" when its mean
/// forget-to-retained cosine is below the limit, forget keys keep enough null-space energy, and that energy exceeds the
/// retained keys' by the required ratio; the gate fails when no edited layer separates, when any update is too large,
/// or when too many targets did not converge.
/// </summary>
public static class EditGate
{
    public static GateDecision Evaluate(
        IReadOnlyList<LayerKeyDiagnostics> layers, IReadOnlyList<TargetOutcome> targets, GateThresholds? thresholds = null)
    {
        if (layers.Count == 0)
        {
            throw new ArgumentException("The gate needs the diagnostics of at least one edited layer.", nameof(layers));
        }
        var limits = thresholds ?? new GateThresholds();
        var reasons = new List<string>();
        var suggestions = new List<string>();

        var entangled = layers.Where(layer => layer.ForgetRetainedCosineMean >= limits.MaxForgetRetainedCosineMean).ToList();
        if (entangled.Count == layers.Count)
        {
            reasons.Add($"forget keys are indistinguishable from retained keys at layers {LayerRange(entangled)} " +
                        $"(cosine {entangled.Max(layer => layer.ForgetRetainedCosineMean):0.00})");
            suggestions.Add("try key position prompt-last (or subject-last) or a later layer window");
        }
        var starved = layers.Where(layer => !HasNullSpaceRoom(layer, limits)).ToList();
        if (starved.Count == layers.Count)
        {
            reasons.Add($"the null space holds too little forget-key energy at layers {LayerRange(starved)} " +
                        $"(forget {starved.Max(layer => layer.ForgetNullSpaceEnergy):0.000} vs retained " +
                        $"{starved.Min(layer => layer.RetainedNullSpaceEnergy):0.000})");
            suggestions.Add("raise the relative eigenvalue threshold or use a smaller preservation corpus");
        }
        var oversized = layers.Where(layer => layer.RelativeUpdateNorm > limits.MaxRelativeUpdateNorm).ToList();
        if (oversized.Count > 0)
        {
            reasons.Add($"the update is {oversized.Max(layer => layer.RelativeUpdateNorm):0.00} x the weight norm at layers " +
                        $"{LayerRange(oversized)} (limit {limits.MaxRelativeUpdateNorm:0.00})");
            suggestions.Add("increase lambda or edit more layers");
        }
        var unconverged = targets.Where(target => !target.Converged).ToList();
        if (targets.Count > 0 && (double)unconverged.Count / targets.Count > limits.MaxUnconvergedShare)
        {
            reasons.Add($"{unconverged.Count} of {targets.Count} targets did not converge " +
                        $"(worst loss {unconverged.Max(target => target.FinalLoss):0.000}: {string.Join(", ", unconverged.Take(5).Select(target => target.RequestId))})");
            suggestions.Add("allow more optimisation steps, a larger clamp, or a later last layer");
        }
        return reasons.Count == 0
            ? new GateDecision(true, [], null)
            : new GateDecision(false, reasons, string.Join("; ", suggestions.Distinct()));
    }

    private static bool HasNullSpaceRoom(LayerKeyDiagnostics layer, GateThresholds limits) =>
        layer.ForgetNullSpaceEnergy >= limits.MinForgetNullSpaceEnergy &&
        layer.ForgetNullSpaceEnergy >= limits.MinNullSpaceEnergyRatio * layer.RetainedNullSpaceEnergy;

    /// <summary>"2-3" for consecutive layers, "2, 5" otherwise.</summary>
    public static string LayerRange(IEnumerable<LayerKeyDiagnostics> layers)
    {
        var indices = layers.Select(layer => layer.Layer).Distinct().Order().ToList();
        var consecutive = indices.Count > 1 && indices[^1] - indices[0] == indices.Count - 1;
        return consecutive ? $"{indices[0]}-{indices[^1]}" : string.Join(", ", indices);
    }
}
