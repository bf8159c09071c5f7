using Lethe.Engine.Modeling;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>One read of an edit's rows: per key layer the request rows' and refusal rows' keys; the outputs of both.</summary>
internal sealed record EditProbeReading(
    IReadOnlyDictionary<int, Tensor> RequestKeys, Tensor RequestOutputs, IReadOnlyDictionary<int, Tensor> RowKeys, Tensor RowOutputs) : IDisposable
{
    public void Dispose()
    {
        foreach (var keys in RequestKeys.Values.Concat(RowKeys.Values))
        {
            keys.Dispose();
        }
        RequestOutputs.Dispose();
        RowOutputs.Dispose();
    }
}

/// <summary>
/// Reads everything one solve step needs in one batch of forward passes. A request's plain prompt is a prefix of its
/// refusal sequence (prompt + [UNL] + c) and a causal model's activations at a position do not depend on later tokens,
/// so the prompt's key and output are read from that sequence together with the refusal rows; the other contexts
/// (prefixed prompts) and prompts without rows are sequences of their own.
/// Request keys: mean over a request's contexts of the down_proj input at the key position ([n, d_ff]); request outputs:
/// the output layer's residual at the plain prompt's key position ([n, d_model]); row keys and outputs in the rows'
/// order ([m, d_ff], [m, d_model]; m = 0 without rows).
/// </summary>
internal sealed class EditProbe
{
    private readonly List<IReadOnlyList<int>> _sequences = [];
    private readonly List<IReadOnlyList<int>> _positions = [];
    private readonly long[][] _requestEntries; // per request, per context: the entry's flat index
    private readonly long[] _rowEntries;
    private readonly int _padId;

    public EditProbe(IReadOnlyList<PreparedRequest> prepared, RefusalRows? rows, int padId)
    {
        _padId = padId;
        var rowSequenceOf = (rows?.PromptIndices ?? []).Select((prompt, sequence) => (prompt, sequence)).ToDictionary(p => p.prompt, p => p.sequence);
        var rowEntries = new long[rows?.Count ?? 0];
        var rowStarts = RowStarts(rows);
        var entry = 0L;
        _requestEntries = new long[prepared.Count][];
        for (var r = 0; r < prepared.Count; r++)
        {
            _requestEntries[r] = new long[prepared[r].Contexts.Count];
            for (var c = 0; c < prepared[r].Contexts.Count; c++)
            {
                var (ids, keyIndex) = prepared[r].Contexts[c];
                _requestEntries[r][c] = entry++;
                if (c == 0 && rowSequenceOf.TryGetValue(r, out var sequence))
                {
                    var rowPositions = rows!.Positions[sequence];
                    _sequences.Add(rows.Sequences[sequence]);
                    _positions.Add([keyIndex, .. rowPositions]);
                    for (var j = 0; j < rowPositions.Count; j++)
                    {
                        rowEntries[rowStarts[sequence] + j] = entry++;
                    }
                }
                else
                {
                    _sequences.Add(ids);
                    _positions.Add([keyIndex]);
                }
            }
        }
        _rowEntries = rowEntries;
    }

    /// <summary>Keys of every layer in <paramref name="keyLayers"/> and outputs of <paramref name="outputLayer"/> for every row.</summary>
    public EditProbeReading Read(LlamaForCausalLM model, IReadOnlyCollection<int> keyLayers, int outputLayer)
    {
        using var scope = NewDisposeScope();
        var (keys, outputs) = ModelProbe.KeysAndOutputAtEach(model, _sequences, _positions, keyLayers, outputLayer, _padId);
        var perContext = _requestEntries.Max(e => e.Length);
        var sameContexts = _requestEntries.All(e => e.Length == perContext);
        using var requestIndex = tensor(_requestEntries.SelectMany(e => e).ToArray());
        using var rows = tensor(_rowEntries);
        Tensor RequestKeys(Tensor layerKeys) => sameContexts
            ? layerKeys.index_select(0, requestIndex).reshape(_requestEntries.Length, perContext, -1).mean([1])
            : stack(_requestEntries.Select(e => layerKeys.index_select(0, tensor(e)).mean([0])).ToList());
        return new EditProbeReading(
            keys.ToDictionary(pair => pair.Key, pair => RequestKeys(pair.Value).MoveToOuterDisposeScope()),
            outputs.index_select(0, tensor(_requestEntries.Select(e => e[0]).ToArray())).MoveToOuterDisposeScope(),
            keys.ToDictionary(pair => pair.Key, pair => pair.Value.index_select(0, rows).MoveToOuterDisposeScope()),
            outputs.index_select(0, rows).MoveToOuterDisposeScope());
    }

    /// <summary>The flat index of each row sequence's first row.</summary>
    private static int[] RowStarts(RefusalRows? rows)
    {
        var starts = new int[rows?.Sequences.Count ?? 0];
        for (var s = 1; s < starts.Length; s++)
        {
            starts[s] = starts[s - 1] + rows!.Positions[s - 1].Count;
        }
        return starts;
    }
}
