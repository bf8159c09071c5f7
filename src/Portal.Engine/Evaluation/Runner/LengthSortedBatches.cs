namespace Lethe.Engine.Evaluation.Runner;

/// <summary>
/// Runs a batched model call over items grouped by length (longest first, ties by position), so each batch pads
/// little, then returns the outputs in the items' original order. The grouping depends only on the lengths, so the
/// same inputs always form the same batches (deterministic numbers).
/// </summary>
internal static class LengthSortedBatches
{
    public static TOut[] Run<TIn, TOut>(
        IReadOnlyList<TIn> items,
        Func<TIn, int> length,
        int batchSize,
        Func<IReadOnlyList<TIn>, IReadOnlyList<TOut>> call,
        Action<int> completed,
        CancellationToken cancellationToken)
    {
        var order = Enumerable.Range(0, items.Count).OrderByDescending(i => length(items[i])).ThenBy(i => i).ToArray();
        var outputs = new TOut[items.Count];
        var done = 0;
        foreach (var batch in order.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = call(batch.Select(i => items[i]).ToList());
            for (var k = 0; k < batch.Length; k++)
            {
                outputs[batch[k]] = results[k];
            }
            done += batch.Length;
            completed(done);
        }
        return outputs;
    }
}
