using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// Right-padded id batch: Ids [B, T] int64 (pads = padId), Mask [B, T] (1 = token), Lengths per row. Right padding keeps
/// every real token at its own position, so captured activations at (row, position) need no offset.
/// </summary>
internal sealed class PaddedBatch : IDisposable
{
    private PaddedBatch(Tensor ids, Tensor mask, int[] lengths)
    {
        Ids = ids;
        Mask = mask;
        Lengths = lengths;
    }

    public Tensor Ids { get; }
    public Tensor Mask { get; }
    public int[] Lengths { get; }
    public int Rows => Lengths.Length;

    public static PaddedBatch Build(IReadOnlyList<IReadOnlyList<int>> sequences, int padId)
    {
        if (sequences.Count == 0 || sequences.Any(s => s.Count == 0))
        {
            throw new ArgumentException("A batch needs at least one sequence and every sequence at least one token.");
        }
        var width = sequences.Max(s => s.Count);
        var ids = new long[sequences.Count * width];
        var mask = new long[ids.Length];
        Array.Fill(ids, padId);
        for (var row = 0; row < sequences.Count; row++)
        {
            for (var t = 0; t < sequences[row].Count; t++)
            {
                ids[row * width + t] = sequences[row][t];
                mask[row * width + t] = 1;
            }
        }
        return new PaddedBatch(
            tensor(ids, [sequences.Count, width]), tensor(mask, [sequences.Count, width]), sequences.Select(s => s.Count).ToArray());
    }

    /// <summary>The given rows (same width), as a new batch.</summary>
    public PaddedBatch SelectRows(IReadOnlyList<int> rows)
    {
        using var index = tensor(rows.Select(row => (long)row).ToArray());
        return new PaddedBatch(Ids.index_select(0, index), Mask.index_select(0, index), rows.Select(row => Lengths[row]).ToArray());
    }

    /// <summary>values [B, T, D] at (row b, positions[b]) -> [B, D].</summary>
    public static Tensor AtPositions(Tensor values, IReadOnlyList<int> positions)
    {
        using var rows = arange(values.shape[0], dtype: ScalarType.Int64);
        using var columns = tensor(positions.Select(p => (long)p).ToArray());
        return values.index([TensorIndex.Tensor(rows), TensorIndex.Tensor(columns)]);
    }

    /// <summary>The last real position of every row.</summary>
    public int[] LastPositions => Lengths.Select(length => length - 1).ToArray();

    /// <summary>One-hot [B, T, 1] float mask with 1 at (row b, positions[b]).</summary>
    public Tensor PositionMask(IReadOnlyList<int> positions)
    {
        var width = Ids.shape[1];
        var data = new float[Rows * width];
        for (var row = 0; row < Rows; row++)
        {
            data[row * width + positions[row]] = 1f;
        }
        return tensor(data, [Rows, width, 1]);
    }

    public void Dispose()
    {
        Ids.Dispose();
        Mask.Dispose();
    }
}
