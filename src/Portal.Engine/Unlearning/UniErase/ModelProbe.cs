using Lethe.Engine.Modeling;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// Reads activations of a frozen model at chosen positions: down_proj inputs ("keys", k = SiLU(gate(x)) * up(x),
/// [n, d_ff]) and layer outputs (residual stream after the block, [n, d_model]). Batches of <see cref="ChunkSize"/>.
/// </summary>
internal static class ModelProbe
{
    public const int ChunkSize = 32;

    /// <summary>Keys at (sequence i, positions[i]) for every layer: layer -> [n, d_ff] fp32.</summary>
    public static Dictionary<int, Tensor> KeysAt(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> sequences, IReadOnlyList<int> positions,
        IReadOnlyCollection<int> layers, int padId) =>
        KeysAtEach(model, sequences, positions.Select(p => (IReadOnlyList<int>)[p]).ToList(), layers, padId);

    /// <summary>
    /// Keys at every position of positions[i] in sequence i, one forward pass per sequence: layer -> [sum_i |positions[i]|, d_ff]
    /// fp32, sequence-major.
    /// </summary>
    public static Dictionary<int, Tensor> KeysAtEach(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> sequences, IReadOnlyList<IReadOnlyList<int>> positions,
        IReadOnlyCollection<int> layers, int padId)
    {
        var parts = layers.ToDictionary(layer => layer, _ => new List<Tensor>());
        ForEachChunk(model, sequences, padId, hooks => hooks.CaptureDownProjInputAt.UnionWith(layers), (hooks, batch, offset) =>
        {
            var chunkPositions = positions.Skip(offset).Take(batch.Rows).ToList();
            foreach (var layer in layers)
            {
                parts[layer].Add(AtEachPosition(hooks.DownProjInputs[layer], chunkPositions).DetachFromDisposeScope());
            }
        });
        return parts.ToDictionary(pair => pair.Key, pair => Concatenate(pair.Value));
    }

    /// <summary>Output of <paramref name="layer"/> at (sequence i, positions[i]): [n, d_model] fp32.</summary>
    public static Tensor LayerOutputAt(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> sequences, IReadOnlyList<int> positions, int layer, int padId)
    {
        var parts = new List<Tensor>();
        ForEachChunk(model, sequences, padId, hooks => hooks.CaptureLayerOutputAt.Add(layer), (hooks, batch, offset) =>
            parts.Add(PaddedBatch.AtPositions(hooks.LayerOutputs[layer], positions.Skip(offset).Take(batch.Rows).ToList()).DetachFromDisposeScope()));
        return Concatenate(parts);
    }

    /// <summary>
    /// Keys of every layer in <paramref name="keyLayers"/> (layer -> [n, d_ff]) and outputs of <paramref name="outputLayer"/>
    /// [n, d_model] at every position of positions[i] in sequence i, sequence-major, from the same forward passes.
    /// </summary>
    public static (Dictionary<int, Tensor> Keys, Tensor Outputs) KeysAndOutputAtEach(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> sequences, IReadOnlyList<IReadOnlyList<int>> positions,
        IReadOnlyCollection<int> keyLayers, int outputLayer, int padId)
    {
        var keys = keyLayers.ToDictionary(layer => layer, _ => new List<Tensor>());
        var outputs = new List<Tensor>();
        ForEachChunk(model, sequences, padId, hooks =>
        {
            hooks.CaptureDownProjInputAt.UnionWith(keyLayers);
            hooks.CaptureLayerOutputAt.Add(outputLayer);
        }, (hooks, batch, offset) =>
        {
            var chunkPositions = positions.Skip(offset).Take(batch.Rows).ToList();
            foreach (var layer in keyLayers)
            {
                keys[layer].Add(AtEachPosition(hooks.DownProjInputs[layer], chunkPositions).DetachFromDisposeScope());
            }
            outputs.Add(AtEachPosition(hooks.LayerOutputs[outputLayer], chunkPositions).DetachFromDisposeScope());
        });
        return (keys.ToDictionary(pair => pair.Key, pair => Concatenate(pair.Value)), Concatenate(outputs));
    }

    /// <summary>values [B, T, D] at every (row b, p) for p in positions[b] -> [sum_b |positions[b]|, D], row-major.</summary>
    private static Tensor AtEachPosition(Tensor values, IReadOnlyList<IReadOnlyList<int>> positions)
    {
        using var rows = tensor(positions.SelectMany((list, row) => list.Select(_ => (long)row)).ToArray());
        using var columns = tensor(positions.SelectMany(list => list.Select(p => (long)p)).ToArray());
        return values.index([TensorIndex.Tensor(rows), TensorIndex.Tensor(columns)]);
    }

    /// <summary>Keys at every real (non-pad) position, per layer: calls <paramref name="onKeys"/>(layer, [m, d_ff]) per chunk.</summary>
    public static void ForEachTokenKeys(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> sequences, IReadOnlyCollection<int> layers, int padId,
        Action<int, Tensor> onKeys)
    {
        foreach (var none in ForEachTokenKeysMarking(model, sequences, new int?[sequences.Count], layers, padId, onKeys).Values)
        {
            none.Dispose();
        }
    }

    /// <summary>
    /// <see cref="ForEachTokenKeys"/> that also returns, from the same forward passes, the keys at one marked position of
    /// each sequence that has one (<paramref name="marked"/>[i], null = none): layer -> [m, d_ff] in sequence order.
    /// </summary>
    public static Dictionary<int, Tensor> ForEachTokenKeysMarking(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> sequences, IReadOnlyList<int?> marked,
        IReadOnlyCollection<int> layers, int padId, Action<int, Tensor> onKeys)
    {
        var parts = layers.ToDictionary(layer => layer, _ => new List<Tensor>());
        ForEachChunk(model, sequences, padId, hooks => hooks.CaptureDownProjInputAt.UnionWith(layers), (hooks, batch, offset) =>
        {
            var real = batch.Mask.to(ScalarType.Bool);
            var rows = Enumerable.Range(0, batch.Rows).Where(row => marked[offset + row] is not null).ToList();
            using var rowIndex = tensor(rows.Select(row => (long)row).ToArray());
            using var positionIndex = tensor(rows.Select(row => (long)marked[offset + row]!.Value).ToArray());
            foreach (var layer in layers)
            {
                onKeys(layer, hooks.DownProjInputs[layer][real]);
                if (rows.Count > 0)
                {
                    parts[layer].Add(hooks.DownProjInputs[layer].index([TensorIndex.Tensor(rowIndex), TensorIndex.Tensor(positionIndex)]).DetachFromDisposeScope());
                }
            }
        });
        return parts.ToDictionary(pair => pair.Key, pair => pair.Value.Count == 0
            ? zeros(0, model.Config.IntermediateSize)
            : Concatenate(pair.Value));
    }

    /// <summary>Next-token logits at the last real position of every sequence, [n, vocab].</summary>
    public static Tensor LastLogits(LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> sequences, int padId)
    {
        var parts = new List<Tensor>();
        foreach (var (chunk, _) in Chunks(sequences))
        {
            using var scope = NewDisposeScope();
            using var batch = PaddedBatch.Build(chunk, padId);
            var logits = model.Forward(batch.Ids, batch.Mask);
            parts.Add(PaddedBatch.AtPositions(logits, batch.LastPositions).MoveToOuterDisposeScope());
        }
        return Concatenate(parts);
    }

    private static void ForEachChunk(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> sequences, int padId, Action<ForwardHooks> configure,
        Action<ForwardHooks, PaddedBatch, int> consume)
    {
        using var _ = no_grad();
        foreach (var (chunk, offset) in Chunks(sequences))
        {
            using var scope = NewDisposeScope();
            using var batch = PaddedBatch.Build(chunk, padId);
            var hooks = new ForwardHooks();
            configure(hooks);
            // Only the layers up to the last one read run: the later layers and the head change nothing captured.
            model.LayerOutput(batch.Ids, batch.Mask, hooks.CaptureDownProjInputAt.Concat(hooks.CaptureLayerOutputAt).DefaultIfEmpty(model.LayerCount - 1).Max(), hooks);
            try
            {
                consume(hooks, batch, offset);
            }
            finally
            {
                foreach (var captured in hooks.DownProjInputs.Values.Concat(hooks.LayerOutputs.Values))
                {
                    captured.Dispose();
                }
            }
        }
    }

    private static IEnumerable<(List<IReadOnlyList<int>> Chunk, int Offset)> Chunks(IReadOnlyList<IReadOnlyList<int>> sequences)
    {
        for (var offset = 0; offset < sequences.Count; offset += ChunkSize)
        {
            yield return (sequences.Skip(offset).Take(ChunkSize).ToList(), offset);
        }
    }

    private static Tensor Concatenate(List<Tensor> parts)
    {
        var joined = cat(parts, 0);
        foreach (var part in parts)
        {
            part.Dispose();
        }
        return joined;
    }
}
