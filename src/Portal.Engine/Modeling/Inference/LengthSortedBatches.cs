namespace Lethe.Engine.Modeling.Inference;

/// <summary>
/// Runs a batched model call over items grouped by length (longest first, ties by position), so each batch pads
/// little, then returns the outputs in the items' original order. The grouping depends only on the lengths, so the
/// same inputs always form the same batches (deterministic numbers).
/// </summary>
internal static class LengthSortedBatches
{
    /// <summary>The item indices in batches of similar length (longest first, ties by position).</summary>
    public static IEnumerable<int[]> Indices(IReadOnlyList<int> lengths, int batchSize) =>
        Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i).Chunk(Math.Max(1, batchSize));

    public static TOut[] Run<TIn, TOut>(
        IReadOnlyList<TIn> items,
        Func<TIn, int> length,
        int batchSize,
        Func<IReadOnlyList<TIn>, IReadOnlyList<TOut>> call,
        Action<int>? completed = null,
        CancellationToken cancellationToken = default)
    {
        var outputs = new TOut[items.Count];
        var done = 0;
        foreach (var batch in Indices(items.Select(length).ToList(), batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = call(batch.Select(i => items[i]).ToList());
            for (var k = 0; k < batch.Length; k++)
            {
                outputs[batch[k]] = results[k];
            }
            done += batch.Length;
            completed?.Invoke(done);
        }
        return outputs;
    }
}
