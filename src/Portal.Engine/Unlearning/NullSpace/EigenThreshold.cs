namespace Lethe.Engine.Unlearning.NullSpace;

public enum EigenThresholdKind
{
    /// <summary>Keep eigenvectors with eigenvalue &lt; Value * (largest eigenvalue).</summary>
    Relative,

    /// <summary>Keep eigenvectors with eigenvalue &lt; Value (the released recipe: 2e-2).</summary>
    Absolute,
}

/// <summary>Cut-off for the null space of C0: relative (fraction of the largest eigenvalue) or absolute.</summary>
public sealed record EigenThreshold(EigenThresholdKind Kind, double Value)
{
    /// <summary>Default that worked on small models (FEASIBILITY): 1e-3 of the largest eigenvalue.</summary>
    public static EigenThreshold DefaultRelative { get; } = Relative(1e-3);

    /// <summary>The released AlphaEdit/UniErase threshold, for paper parity.</summary>
    public static EigenThreshold ReleasedAbsolute { get; } = Absolute(2e-2);

    public static EigenThreshold Relative(double fraction) =>
        fraction is > 0 and < 1
            ? new(EigenThresholdKind.Relative, fraction)
            : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A relative threshold must lie in (0, 1).");

    public static EigenThreshold Absolute(double value) =>
        value > 0
            ? new(EigenThresholdKind.Absolute, value)
            : throw new ArgumentOutOfRangeException(nameof(value), value, "An absolute threshold must be positive.");

    /// <summary>The eigenvalue cut-off for a spectrum whose largest eigenvalue is <paramref name="largestEigenvalue"/>.</summary>
    public double CutOff(double largestEigenvalue) =>
        Kind == EigenThresholdKind.Absolute ? Value : Value * largestEigenvalue;

    /// <summary>Stable text form used in cache keys and records, e.g. "rel1E-03" or "abs2E-02".</summary>
    public override string ToString() =>
        (Kind == EigenThresholdKind.Relative ? "rel" : "abs") + Value.ToString("0.###E+00", System.Globalization.CultureInfo.InvariantCulture);
}
