using Lethe.Engine.Unlearning.Storage;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.NullSpace;

/// <summary>
/// Second-moment accumulator of down_proj keys: Sum = sum_i k_i k_i^T (fp64, [d_ff, d_ff]) and Count = number of keys,
/// so that C = E[k k^T] = Sum / Count. Used for the preservation covariance C0 (mean) and the sequential C_p (sum).
/// </summary>
public sealed class KeyCovariance : IDisposable
{
    private Tensor _sum; // [d_ff, d_ff] float64

    public KeyCovariance(long dimension)
    {
        if (dimension <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Key dimension must be positive.");
        }
        Dimension = dimension;
        _sum = zeros(dimension, dimension, ScalarType.Float64);
    }

    private KeyCovariance(Tensor sum, long count)
    {
        Dimension = sum.shape[0];
        _sum = sum;
        Count = count;
    }

    public long Dimension { get; }

    /// <summary>Number of keys accumulated so far.</summary>
    public long Count { get; private set; }

    /// <summary>Sum of outer products, sum_i k_i k_i^T, [d_ff, d_ff] float64 (owned by this object).</summary>
    public Tensor Sum => _sum;

    /// <summary>Adds a batch of keys: Sum += K^T K for keysRows [n, d_ff]; Count += n.</summary>
    public void Add(Tensor keysRows)
    {
        if (keysRows.dim() != 2 || keysRows.shape[1] != Dimension)
        {
            throw new ArgumentException(
                $"Keys must have shape [n, {Dimension}], got [{string.Join(", ", keysRows.shape)}].", nameof(keysRows));
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // fp64 keys stay fp64; others form each batch's K^T K in fp32 (one batch's sum, ~1e-7 relative error) and
        // accumulate it in fp64 -- the fp64 matmul was most of the projector's time.
        var keys = keysRows.detach().to(_sum.device);
        var wide = keys.dtype == ScalarType.Float64 ? keys : keys.to(ScalarType.Float32);
        _sum.add_(wide.T.matmul(wide).to(ScalarType.Float64));
        Count += keysRows.shape[0];
    }

    /// <summary>Adds the other accumulator: Sum += Sum_other; Count += Count_other (exact merge of two key streams).</summary>
    public void Merge(KeyCovariance other)
    {
        RequireSameDimension(other);
        using var _ = no_grad();
        _sum.add_(other._sum.to(_sum.device));
        Count += other.Count;
    }

    /// <summary>Removes keys accumulated elsewhere: Sum -= Sum_other; Count -= Count_other (a corpus minus some of its pairs).</summary>
    public void Subtract(KeyCovariance other)
    {
        RequireSameDimension(other);
        if (other.Count > Count)
        {
            throw new InvalidOperationException($"Cannot remove {other.Count} keys from a covariance of {Count}.");
        }
        using var _ = no_grad();
        _sum.sub_(other._sum.to(_sum.device));
        Count -= other.Count;
    }

    /// <summary>C = Sum / Count, [d_ff, d_ff] float64 (new tensor).</summary>
    public Tensor Mean()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("Cannot take the mean of a key covariance with no keys.");
        }
        return _sum / Count;
    }

    /// <summary>
    /// Weighted union of several sources: C = sum_j w_j C_j / sum_j w_j with C_j = E_j[k k^T].
    /// Unlike <see cref="Merge"/>, a small source (the retained questions' prompt-position keys) keeps its declared
    /// share instead of being drowned by a large one (the all-token corpus average).
    /// </summary>
    public static Tensor WeightedUnion(IReadOnlyList<(KeyCovariance Source, double Weight)> sources)
    {
        if (sources.Count == 0)
        {
            throw new ArgumentException("A weighted union needs at least one source.", nameof(sources));
        }
        if (sources.Any(source => source.Weight < 0 || double.IsNaN(source.Weight)))
        {
            throw new ArgumentException("Weights of a weighted union must be non-negative numbers.", nameof(sources));
        }
        var totalWeight = sources.Sum(source => source.Weight);
        if (totalWeight <= 0)
        {
            throw new ArgumentException("Weights of a weighted union must not all be zero.", nameof(sources));
        }
        var first = sources[0].Source;
        var union = zeros(first.Dimension, first.Dimension, ScalarType.Float64);
        foreach (var (source, weight) in sources)
        {
            first.RequireSameDimension(source);
            using var mean = source.Mean();
            union.add_(mean, alpha: weight / totalWeight);
        }
        return union;
    }

    public KeyCovariance Clone() => new(_sum.clone(), Count);

    /// <summary>Wraps an existing sum of outer products [d, d] (taken over, fp64) and its key count.</summary>
    public static KeyCovariance FromSum(Tensor sum, long count)
    {
        if (sum.dim() != 2 || sum.shape[0] != sum.shape[1])
        {
            throw new ArgumentException($"A key covariance sum must be square, got [{string.Join(", ", sum.shape)}].", nameof(sum));
        }
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Key count must be non-negative.");
        }
        return new KeyCovariance(sum.to(ScalarType.Float64), count);
    }

    public void Save(string stem) =>
        TensorFileStore.Save(stem, new Dictionary<string, Tensor> { ["sum"] = _sum }, new CovarianceMetadata(Dimension, Count));

    public static KeyCovariance Load(string stem)
    {
        var (tensors, metadata) = TensorFileStore.Load<CovarianceMetadata>(stem);
        var sum = TensorFileStore.Require(tensors, "sum", stem);
        if (sum.dim() != 2 || sum.shape[0] != metadata.Dimension || sum.shape[1] != metadata.Dimension)
        {
            throw new InvalidDataException(
                $"{TensorFileStore.TensorPath(stem)}: 'sum' has shape [{string.Join(", ", sum.shape)}], metadata says {metadata.Dimension}.");
        }
        return FromSum(sum, metadata.Count);
    }

    public void Dispose() => _sum.Dispose();

    private void RequireSameDimension(KeyCovariance other)
    {
        if (other.Dimension != Dimension)
        {
            throw new ArgumentException($"Key covariances differ in dimension: {Dimension} vs {other.Dimension}.");
        }
    }

    internal sealed record CovarianceMetadata(long Dimension, long Count);
}
