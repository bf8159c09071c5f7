using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

/// <summary>Seeded constructions shared by the unlearning maths tests (explicit generators: tests run in parallel).</summary>
internal static class UnlearningTensors
{
    public static Tensor Normal(long seed, params long[] shape)
    {
        Lethe.Engine.TorchRuntime.Initialise();
        using var generator = new Generator((ulong)seed);
        return randn(shape, ScalarType.Float64, generator: generator);
    }

    /// <summary>Orthonormal basis of R^d as columns [d, d] (QR of a seeded Gaussian matrix).</summary>
    public static Tensor OrthonormalBasis(long dimension, long seed)
    {
        using var gaussian = Normal(seed, dimension, dimension);
        var (q, r) = linalg.qr(gaussian);
        r.Dispose();
        return q;
    }

    /// <summary>n random keys [n, d] in the span of the given basis columns [d, m].</summary>
    public static Tensor KeysInSpan(Tensor basisColumns, long count, long seed)
    {
        using var coefficients = Normal(seed, count, basisColumns.shape[1]);
        return coefficients.matmul(basisColumns.T);
    }

    public static double RelativeError(Tensor actual, Tensor expected) =>
        (actual - expected).norm().item<double>() / Math.Max(expected.norm().item<double>(), 1e-300);
}
