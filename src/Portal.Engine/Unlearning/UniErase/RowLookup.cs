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
        var average = new float[perRow.Count * triples.Count];
        for (var m = 0; m < triples.Count; m++)
        {
            average[triples[m].Row * triples.Count + m] = 1f / perRow[triples[m].Row].Length;
        }
        return new RowLookup(perRow.Count,
            tensor(triples.Select(t => (long)t.Row).ToArray()), tensor(triples.Select(t => (long)t.Position).ToArray()),
            tensor(triples.Select(t => t.Token).ToArray()), tensor(average, [perRow.Count, triples.Count]));
    }

    /// <summary>The tensors this lookup owns.</summary>
    public IEnumerable<Tensor> Tensors => new[] { _rows, _positions, _tokens, _average }.OfType<Tensor>();

    /// <summary>Per-row mean of -log p at the row's triples, [R].</summary>
    public Tensor MeanNll(Tensor logProbs) =>
        _average is null
            ? zeros(_rowCount, dtype: logProbs.dtype)
            : -_average.matmul(logProbs.index([TensorIndex.Tensor(_rows!), TensorIndex.Tensor(_positions!), TensorIndex.Tensor(_tokens!)]));

    /// <summary>A [n, R] averaging the rows of each request: A[i, r] = 1/|rows of i| when row r belongs to request i.</summary>
    public static Tensor MeanOverRows(IReadOnlyList<int> rowRequest, int requests)
    {
        var counts = new int[requests];
        foreach (var request in rowRequest)
        {
            counts[request]++;
        }
        var data = new float[requests * rowRequest.Count];
        for (var row = 0; row < rowRequest.Count; row++)
        {
            data[rowRequest[row] * rowRequest.Count + row] = 1f / counts[rowRequest[row]];
        }
        return tensor(data, [requests, rowRequest.Count]);
    }

    public void Dispose()
    {
        _rows?.Dispose();
        _positions?.Dispose();
        _tokens?.Dispose();
        _average?.Dispose();
    }
}
