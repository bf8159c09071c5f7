namespace Lethe.Engine.Unlearning.NullSpace;

/// <summary>
/// Summary of the eigenvalue spectrum of C0 recorded with a projector: extremes, median, the cut-off actually used,
/// and how many eigenvalues fell below it (= kept rank of the null space).
/// </summary>
public sealed record EigenSpectrumSummary(
    double Largest,
    double Smallest,
    double Median,
    double Trace,
    double CutOff,
    int Dimension,
    int KeptRank)
{
    /// <summary>Share of C0's energy (trace) carried by the kept (null-space) eigenvalues.</summary>
    public double KeptEnergyShare { get; init; }

    /// <summary>Builds the summary from ascending eigenvalues.</summary>
    public static EigenSpectrumSummary FromAscending(double[] eigenvalues, double cutOff)
    {
        if (eigenvalues.Length == 0)
        {
            throw new ArgumentException("The spectrum is empty.", nameof(eigenvalues));
        }
        var kept = eigenvalues.Count(value => value < cutOff);
        var trace = eigenvalues.Sum();
        var keptEnergy = eigenvalues.Where(value => value < cutOff).Sum();
        return new EigenSpectrumSummary(
            eigenvalues[^1], eigenvalues[0], eigenvalues[eigenvalues.Length / 2], trace, cutOff, eigenvalues.Length, kept)
        {
            KeptEnergyShare = trace > 0 ? keptEnergy / trace : 0,
        };
    }
}
