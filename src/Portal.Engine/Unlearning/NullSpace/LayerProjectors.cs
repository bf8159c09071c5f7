using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.NullSpace;

/// <summary>
/// One <see cref="NullSpaceProjector"/> per layer, the eigendecompositions side by side: each on its own thread, with
/// libtorch's intra-op threads shared out between them for the duration (a 512 x 512 eigh is faster on one thread than
/// on two: two layers took 100-120 ms one after the other on two threads, 40-80 ms side by side on one each).
/// </summary>
public static class LayerProjectors
{
    /// <summary>P_l from C0_l ([d_ff, d_ff]) per layer; the caller keeps the covariances and owns the projectors.</summary>
    public static Dictionary<int, NullSpaceProjector> Build(IReadOnlyDictionary<int, Tensor> covariances, EigenThreshold threshold)
    {
        var threads = TorchRuntime.Initialise();
        if (covariances.Count < 2 || threads < 2)
        {
            return covariances.ToDictionary(p => p.Key, p => NullSpaceProjector.Build(p.Value, threshold));
        }
        var built = new NullSpaceProjector?[covariances.Count];
        var items = covariances.ToList();
        try
        {
            TorchRuntime.WithThreads(threads / items.Count, () => Parallel.For(
                0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => built[i] = NullSpaceProjector.Build(items[i].Value, threshold)));
        }
        catch
        {
            foreach (var projector in built)
            {
                projector?.Dispose();
            }
            throw;
        }
        return items.Select((item, i) => (item.Key, Projector: built[i]!)).ToDictionary(p => p.Key, p => p.Projector);
    }
}
