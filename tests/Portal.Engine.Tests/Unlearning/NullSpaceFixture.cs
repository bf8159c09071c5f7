using Lethe.Engine.Unlearning.NullSpace;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

/// <summary>
/// d_ff = 32 split into a preserved subspace (first 12 basis vectors) and its complement (20): preserved keys span the
/// first, forget keys the second, so the projector of the preserved covariance should keep exactly the complement.
/// </summary>
internal sealed class NullSpaceFixture : IDisposable
{
    public const int KeyDimension = 32;
    public const int PreservedRank = 12;

    public NullSpaceFixture(long seed = 7)
    {
        Basis = UnlearningTensors.OrthonormalBasis(KeyDimension, seed);
        PreservedKeys = UnlearningTensors.KeysInSpan(Basis[.., ..PreservedRank], 200, seed + 1);
        ForgetKeys = UnlearningTensors.KeysInSpan(Basis[.., PreservedRank..], 6, seed + 2);
        Covariance = new KeyCovariance(KeyDimension);
        Covariance.Add(PreservedKeys);
    }

    public Tensor Basis { get; }              // [32, 32] orthonormal columns
    public Tensor PreservedKeys { get; }      // [200, 32]
    public Tensor ForgetKeys { get; }         // [6, 32], orthogonal to every preserved key
    public KeyCovariance Covariance { get; }

    /// <summary>Keys in the complement of the preserved subspace, [n, 32].</summary>
    public Tensor ComplementKeys(long count, long seed) => UnlearningTensors.KeysInSpan(Basis[.., PreservedRank..], count, seed);

    public NullSpaceProjector BuildProjector(EigenThreshold? threshold = null, ScalarType dtype = ScalarType.Float64)
    {
        using var mean = Covariance.Mean();
        return NullSpaceProjector.Build(mean, threshold ?? EigenThreshold.DefaultRelative, dtype);
    }

    public void Dispose()
    {
        Basis.Dispose();
        PreservedKeys.Dispose();
        ForgetKeys.Dispose();
        Covariance.Dispose();
    }
}
