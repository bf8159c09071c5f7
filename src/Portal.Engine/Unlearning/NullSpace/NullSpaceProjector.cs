using Lethe.Engine.Unlearning.Storage;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.NullSpace;

/// <summary>
/// Null-space projector of a preservation covariance: C0 = U S U^T (eigh), U_small = eigenvectors with
/// eigenvalue &lt; cut-off, P = U_small U_small^T ([d_ff, d_ff]). Then P k0 ~ 0 for preserved keys k0, so an update of
/// the form (.) P leaves their outputs alone.
/// </summary>
public sealed class NullSpaceProjector : IDisposable
{
    private NullSpaceProjector(Tensor projector, EigenThreshold threshold, EigenSpectrumSummary spectrum, Tensor? residual = null)
    {
        Projector = projector;
        Residual = residual;
        Threshold = threshold;
        Spectrum = spectrum;
    }

    /// <summary>P, [d_ff, d_ff], symmetric and idempotent.</summary>
    public Tensor Projector { get; }

    public EigenThreshold Threshold { get; }

    /// <summary>
    /// The part of C0 inside the null space, U_small diag(s_small) U_small^T ([d_ff, d_ff]): how much the preserved keys
    /// still use the directions P lets the edit change (null for projectors cached before it was stored).
    /// </summary>
    public Tensor? Residual { get; }

    public EigenSpectrumSummary Spectrum { get; }

    /// <summary>Dimension of the kept null space (rank of P).</summary>
    public int KeptRank => Spectrum.KeptRank;

    public long Dimension => Projector.shape[0];

    /// <summary>Eigendecomposes <paramref name="covariance"/> [d_ff, d_ff] in fp64 and builds P in <paramref name="dtype"/>.</summary>
    public static NullSpaceProjector Build(Tensor covariance, EigenThreshold threshold, ScalarType dtype = ScalarType.Float32)
    {
        if (covariance.dim() != 2 || covariance.shape[0] != covariance.shape[1])
        {
            throw new ArgumentException(
                $"The covariance must be square, got [{string.Join(", ", covariance.shape)}].", nameof(covariance));
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var symmetric = covariance.detach().to(ScalarType.Float64);
        symmetric = (symmetric + symmetric.T) / 2;
        var (eigenvalues, eigenvectors) = linalg.eigh(symmetric); // ascending eigenvalues, columns = eigenvectors
        var values = eigenvalues.cpu().data<double>().ToArray();
        if (values[^1] <= 0)
        {
            throw new ArgumentException("The covariance has no positive eigenvalue (were any keys accumulated?).", nameof(covariance));
        }
        var spectrum = EigenSpectrumSummary.FromAscending(values, threshold.CutOff(values[^1]));
        var small = eigenvectors.narrow(1, 0, spectrum.KeptRank); // U_small [d_ff, r]
        var projector = small.matmul(small.T).to(dtype);
        var residual = (small * eigenvalues.narrow(0, 0, spectrum.KeptRank).clamp_min(0)).matmul(small.T).to(dtype);
        return new NullSpaceProjector(projector.MoveToOuterDisposeScope(), threshold, spectrum, residual.MoveToOuterDisposeScope());
    }

    /// <summary>P k for keysRows [n, d_ff] → [n, d_ff] (P symmetric, so rows map as K P).</summary>
    public Tensor Project(Tensor keysRows) => keysRows.to(Projector.dtype).matmul(Projector);

    public void Save(string stem, ProjectorCacheKey? key = null) =>
        TensorFileStore.Save(
            stem,
            Residual is null
                ? new Dictionary<string, Tensor> { ["projector"] = Projector }
                : new Dictionary<string, Tensor> { ["projector"] = Projector, ["residual"] = Residual },
            new ProjectorMetadata(Threshold, Spectrum, key));

    public static NullSpaceProjector Load(string stem) => LoadWithKey(stem).Projector;

    internal static (NullSpaceProjector Projector, ProjectorCacheKey? Key) LoadWithKey(string stem)
    {
        var (tensors, metadata) = TensorFileStore.Load<ProjectorMetadata>(stem);
        var projector = TensorFileStore.Require(tensors, "projector", stem);
        if (projector.dim() != 2 || projector.shape[0] != metadata.Spectrum.Dimension || projector.shape[1] != projector.shape[0])
        {
            throw new InvalidDataException(
                $"{TensorFileStore.TensorPath(stem)}: projector shape [{string.Join(", ", projector.shape)}] does not match dimension {metadata.Spectrum.Dimension}.");
        }
        return (new NullSpaceProjector(projector, metadata.Threshold, metadata.Spectrum, tensors.GetValueOrDefault("residual")), metadata.Key);
    }

    public void Dispose()
    {
        Projector.Dispose();
        Residual?.Dispose();
    }

    internal sealed record ProjectorMetadata(EigenThreshold Threshold, EigenSpectrumSummary Spectrum, ProjectorCacheKey? Key);
}
