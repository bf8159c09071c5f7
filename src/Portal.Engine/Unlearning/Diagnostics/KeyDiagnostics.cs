using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Diagnostics;

/// <summary>Mean and maximum of a per-item statistic.</summary>
public sealed record StatisticSummary(double Mean, double Max);

/// <summary>
/// Pure diagnostics of an edit's keys and update (all inputs detached). Cosines and energy shares are formed in fp32
/// (thousands of retained keys x d_ff^2 per layer; shares in [0, 1] need no more) and returned in fp64.
/// </summary>
public static class KeyDiagnostics
{
    /// <summary>
    /// For each forget key f_i: max_j cos(f_i, r_j) over retained keys r_j (forgetRows [nf, d], retainedRows [nr, d]);
    /// returns [nf] fp64. Values near 1 mean no null space can separate the forget key from retained ones.
    /// </summary>
    public static Tensor NearestRetainedCosine(Tensor forgetRows, Tensor retainedRows)
    {
        RequireRows(forgetRows, retainedRows.shape[^1], "forget keys");
        RequireRows(retainedRows, forgetRows.shape[^1], "retained keys");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var forget = nn.functional.normalize(forgetRows.detach().to(ScalarType.Float32), dim: 1);
        var retained = nn.functional.normalize(retainedRows.detach().to(ScalarType.Float32), dim: 1);
        return forget.matmul(retained.T).amax(1).to(ScalarType.Float64).MoveToOuterDisposeScope();
    }

    /// <summary>Mean and max over forget keys of the nearest-retained cosine.</summary>
    public static StatisticSummary NearestRetainedCosineSummary(Tensor forgetRows, Tensor retainedRows)
    {
        using var cosines = NearestRetainedCosine(forgetRows, retainedRows);
        return Summarise(cosines);
    }

    /// <summary>Per key ||P k||^2 / ||k||^2 for keysRows [n, d] and P [d, d]; returns [n] fp64 in [0, 1].</summary>
    public static Tensor NullSpaceEnergyShares(Tensor projector, Tensor keysRows)
    {
        RequireRows(keysRows, projector.shape[0], "keys");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var keys = keysRows.detach().to(ScalarType.Float32);
        var projected = keys.matmul(projector.detach().to(ScalarType.Float32));
        var keyEnergy = keys.pow(2).sum(1).to(ScalarType.Float64).clamp_min(1e-300);
        return (projected.pow(2).sum(1).to(ScalarType.Float64) / keyEnergy).MoveToOuterDisposeScope();
    }

    /// <summary>Average of ||P k||^2 / ||k||^2 over the keys.</summary>
    public static double NullSpaceEnergyShare(Tensor projector, Tensor keysRows)
    {
        using var shares = NullSpaceEnergyShares(projector, keysRows);
        return shares.mean().item<double>();
    }

    /// <summary>||Delta||_F / ||W||_F (Delta may be X^T or X: the Frobenius norm ignores the transpose).</summary>
    public static double RelativeUpdateNorm(Tensor update, Tensor weight)
    {
        using var _ = no_grad();
        using var updateNorm = update.detach().to(ScalarType.Float64).norm();
        using var weightNorm = weight.detach().to(ScalarType.Float64).norm();
        var denominator = weightNorm.item<double>();
        if (denominator <= 0)
        {
            throw new ArgumentException("The weight has zero norm; the relative update norm is undefined.", nameof(weight));
        }
        return updateNorm.item<double>() / denominator;
    }

    /// <summary>All key diagnostics of one layer.</summary>
    public static LayerKeyDiagnostics ForLayer(int layer, Tensor forgetRows, Tensor retainedRows, Tensor projector)
    {
        var cosine = NearestRetainedCosineSummary(forgetRows, retainedRows);
        return new LayerKeyDiagnostics(
            layer,
            cosine.Mean,
            cosine.Max,
            NullSpaceEnergyShare(projector, forgetRows),
            NullSpaceEnergyShare(projector, retainedRows));
    }

    private static StatisticSummary Summarise(Tensor values) =>
        new(values.mean().item<double>(), values.max().item<double>());

    private static void RequireRows(Tensor rows, long dimension, string name)
    {
        if (rows.dim() != 2 || rows.shape[1] != dimension || rows.shape[0] == 0)
        {
            throw new ArgumentException($"The {name} must be a non-empty [n, {dimension}] matrix, got [{string.Join(", ", rows.shape)}].");
        }
    }
}
