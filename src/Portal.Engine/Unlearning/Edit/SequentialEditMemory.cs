using Lethe.Engine.Unlearning.NullSpace;
using Lethe.Engine.Unlearning.Storage;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Edit;

/// <summary>
/// Per-layer sequential key memory: after each edit, C_p,l += K_l K_l^T with the keys recomputed on the edited model.
/// Later edits add C_p to K K^T in the solve, so they also protect earlier edits. Belongs to a model version; saved with
/// it (one safetensors + JSON per memory) so a sequence continues after a restart.
/// </summary>
public sealed class SequentialEditMemory : IDisposable
{
    private readonly SortedDictionary<int, KeyCovariance> _layers = new();

    public SequentialEditMemory(long keyDimension)
    {
        if (keyDimension <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(keyDimension), keyDimension, "Key dimension must be positive.");
        }
        KeyDimension = keyDimension;
    }

    public long KeyDimension { get; }

    /// <summary>Number of edits recorded (calls to <see cref="RecordEdit"/>).</summary>
    public int EditCount { get; private set; }

    /// <summary>Layers that have a memory, ascending.</summary>
    public IReadOnlyList<int> Layers => _layers.Keys.ToList();

    /// <summary>C_p,l += K K^T for keysRows [n, d_ff] at <paramref name="layer"/>.</summary>
    public void Accumulate(int layer, Tensor keysRows)
    {
        if (layer < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, "Layer index must be non-negative.");
        }
        if (!_layers.TryGetValue(layer, out var memory))
        {
            memory = new KeyCovariance(KeyDimension);
            _layers[layer] = memory;
        }
        memory.Add(keysRows);
    }

    /// <summary>Accumulates every edited layer's recomputed keys for one finished edit.</summary>
    public void RecordEdit(IReadOnlyDictionary<int, Tensor> keysRowsByLayer)
    {
        foreach (var (layer, keys) in keysRowsByLayer)
        {
            Accumulate(layer, keys);
        }
        EditCount++;
    }

    /// <summary>C_p for the layer, [d_ff, d_ff] float64 (a new tensor; zeros when the layer was never edited).</summary>
    public Tensor For(int layer) =>
        _layers.TryGetValue(layer, out var memory) ? memory.Sum.clone() : zeros(KeyDimension, KeyDimension, ScalarType.Float64);

    /// <summary>Number of keys accumulated at the layer.</summary>
    public long KeyCount(int layer) => _layers.TryGetValue(layer, out var memory) ? memory.Count : 0;

    /// <summary>An independent copy (the state after one edit of a sequence, stored with that version).</summary>
    public SequentialEditMemory Clone()
    {
        var copy = new SequentialEditMemory(KeyDimension) { EditCount = EditCount };
        foreach (var (layer, memory) in _layers)
        {
            copy._layers[layer] = memory.Clone();
        }
        return copy;
    }

    /// <summary>Takes <paramref name="snapshot"/>'s state (a rolled-back edit's memory goes back to the one before it).</summary>
    public void RestoreFrom(SequentialEditMemory snapshot)
    {
        if (snapshot.KeyDimension != KeyDimension)
        {
            throw new ArgumentException($"The snapshot's key dimension {snapshot.KeyDimension} is not {KeyDimension}.", nameof(snapshot));
        }
        foreach (var memory in _layers.Values)
        {
            memory.Dispose();
        }
        _layers.Clear();
        foreach (var (layer, memory) in snapshot._layers)
        {
            _layers[layer] = memory.Clone();
        }
        EditCount = snapshot.EditCount;
    }

    public void Save(string stem)
    {
        var tensors = _layers.ToDictionary(pair => TensorName(pair.Key), pair => pair.Value.Sum);
        var counts = _layers.ToDictionary(pair => pair.Key, pair => pair.Value.Count);
        TensorFileStore.Save(stem, tensors, new MemoryMetadata(KeyDimension, EditCount, counts));
    }

    public static SequentialEditMemory Load(string stem)
    {
        var (tensors, metadata) = TensorFileStore.Load<MemoryMetadata>(stem);
        var memory = new SequentialEditMemory(metadata.KeyDimension) { EditCount = metadata.EditCount };
        foreach (var (layer, count) in metadata.KeyCounts)
        {
            var sum = TensorFileStore.Require(tensors, TensorName(layer), stem).to(ScalarType.Float64);
            if (sum.dim() != 2 || sum.shape[0] != metadata.KeyDimension || sum.shape[1] != metadata.KeyDimension)
            {
                throw new InvalidDataException(
                    $"{TensorFileStore.TensorPath(stem)}: C_p of layer {layer} has shape [{string.Join(", ", sum.shape)}], expected {metadata.KeyDimension} square.");
            }
            memory._layers[layer] = KeyCovariance.FromSum(sum, count);
        }
        return memory;
    }

    public void Dispose()
    {
        foreach (var memory in _layers.Values)
        {
            memory.Dispose();
        }
        _layers.Clear();
    }

    private static string TensorName(int layer) => $"layer.{layer}.cp";

    internal sealed record MemoryMetadata(long KeyDimension, int EditCount, Dictionary<int, long> KeyCounts);
}
