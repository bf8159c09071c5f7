using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// (row, position, token) triples of a batch, read from log-probabilities [R, T, V] and averaged per row:
/// MeanNll_r = -(1/|S_r|) sum_{(p, t) in S_r} log p[r, p, t], 0 for a row without triples ([R]). The average is a
/// matrix product with A [R, M], A[r, m] = 1/|S_r| when triple m belongs to row r.
/// </summary>
internal sealed class RowLookup : IDisposable
{
    private readonly Tensor? _rows;
    private readonly Tensor? _positions;
    private readonly Tensor? _tokens;
    private readonly Tensor? _average;
    private readonly int _rowCount;

    private RowLookup(int rowCount, Tensor? rows, Tensor? positions, Tensor? tokens, Tensor? average)
    {
        _rowCount = rowCount;
        (_rows, _positions, _tokens, _average) = (rows, positions, tokens, average);
    }

    public static RowLookup Of(IReadOnlyList<(int Position, long Token)[]> perRow)
    {
        var triples = perRow.SelectMany((items, row) => items.Select(item => (Row: row, item.Position, item.Token))).ToList();
        if (triples.Count == 0)
        {
            return new RowLookup(perRow.Count, null, null, null, null);
        }
        return new RowLookup(perRow.Count,
            tensor(triples.Select(t => (long)t.Row).ToArray()), tensor(triples.Select(t => (long)t.Position).ToArray()),
            tensor(triples.Select(t => t.Token).ToArray()), GroupMean(triples.Select(t => t.Row).ToList(), perRow.Count));
    }

    /// <summary>The tensors this lookup owns.</summary>
    public IEnumerable<Tensor> Tensors => new[] { _rows, _positions, _tokens, _average }.OfType<Tensor>();

    /// <summary>Per-row mean of -log p at the row's triples, [R].</summary>
    public Tensor MeanNll(Tensor logProbs) =>
        _average is null
            ? zeros(_rowCount, dtype: logProbs.dtype)
            : -_average.matmul(logProbs.index([TensorIndex.Tensor(_rows!), TensorIndex.Tensor(_positions!), TensorIndex.Tensor(_tokens!)]));

    /// <summary>
    /// A [groups, m] averaging items by group: A[g, i] = 1/|items of g| when item i belongs to group g (A x = per-group
    /// means). Used for triples per row and for rows per request.
    /// </summary>
    public static Tensor GroupMean(IReadOnlyList<int> groupOf, int groups)
    {
        var counts = new int[groups];
        foreach (var group in groupOf)
        {
            counts[group]++;
        }
        var data = new float[groups * groupOf.Count];
        for (var item = 0; item < groupOf.Count; item++)
        {
            data[groupOf[item] * groupOf.Count + item] = 1f / counts[groupOf[item]];
        }
        return tensor(data, [groups, groupOf.Count]);
    }

    public void Dispose()
    {
        _rows?.Dispose();
        _positions?.Dispose();
        _tokens?.Dispose();
        _average?.Dispose();
    }
}
