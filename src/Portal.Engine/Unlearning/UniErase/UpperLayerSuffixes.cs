using Lethe.Engine.Modeling;
using Lethe.Engine.Modeling.Inference;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// Sequences whose residual stream after the last edited layer L changes (a target's delta) or is scored only from a
/// known first column on. Computed once: the stream after L, h_L [S, T, d], and the keys/values of the layers above L on
/// the unchanged sequences. A step then runs the layers above L only on each chunk's columns split.. (split = the chunk's
/// smallest first column; chunks sorted by first column, <see cref="ModelProbe.ChunkSize"/> sequences at most), reading
/// the columns before from the cache: by causality the same hidden states as the whole pass over the chunk's columns,
/// at the cost of the columns that can change (TOFU prompts run 10-60 tokens, the rows' columns are the last 1-15). The
/// unchanged pass runs in batches of similar length.
/// </summary>
internal sealed class UpperLayerSuffixes : IDisposable
{
    private readonly KvCache _cache;
    private readonly IReadOnlyList<int> _firstColumns;

    /// <summary>batch: the sequences, right-padded (owned by the caller); firstColumns: per sequence the first column that may change.</summary>
    public UpperLayerSuffixes(LanguageModel model, PaddedBatch batch, IReadOnlyList<int> firstColumns, int lastLayer)
    {
        if (firstColumns.Count != batch.Rows || firstColumns.Where((column, s) => column < 0 || column >= batch.Lengths[s]).Any())
        {
            throw new ArgumentException("One first column per sequence, inside the sequence.", nameof(firstColumns));
        }
        Batch = batch;
        LastLayer = lastLayer;
        _firstColumns = firstColumns;
        (After, _cache) = Unchanged(model, batch, lastLayer);
    }

    public PaddedBatch Batch { get; }
    public int LastLayer { get; }

    /// <summary>h_L of every sequence [S, T, d] (no gradient).</summary>
    public Tensor After { get; }

    /// <summary>The given sequences (indices into the batch; repeats ignored) in chunks, sorted by first column.</summary>
    public IReadOnlyList<SuffixChunk> Chunks(IEnumerable<int> sequences) =>
        sequences.Distinct().OrderBy(s => _firstColumns[s]).ThenBy(s => s).Chunk(ModelProbe.ChunkSize)
            .Select(chunk => new SuffixChunk(this, chunk, chunk.Min(s => _firstColumns[s]), _cache)).ToList();

    /// <summary>h_L and the upper layers' cache of every sequence, run in batches of similar length.</summary>
    private static (Tensor After, KvCache Cache) Unchanged(LanguageModel model, PaddedBatch batch, int lastLayer)
    {
        using var _ = no_grad();
        long sequences = batch.Rows, width = batch.Ids.shape[1];
        var after = zeros(sequences, width, model.Model.Config.HiddenSize);
        var parts = new List<(Tensor Rows, KvCache Part)>();
        try
        {
            foreach (var chunk in LengthSortedBatches.Indices(batch.Lengths, ModelProbe.ChunkSize))
            {
                using var scope = NewDisposeScope();
                var rows = tensor(chunk.Select(s => (long)s).ToArray());
                var columns = chunk.Max(s => batch.Lengths[s]);
                var mask = batch.Mask.index_select(0, rows).narrow(1, 0, columns);
                using var hooks = new ForwardHooks();
                hooks.CaptureLayerOutputAt.Add(lastLayer);
                model.Model.LayerOutput(batch.Ids.index_select(0, rows).narrow(1, 0, columns), mask, lastLayer, hooks);
                var output = hooks.LayerOutputs[lastLayer];
                after.narrow(1, 0, columns).index_copy_(0, rows, output);
                parts.Add((rows.DetachFromDisposeScope(), model.Model.UpperLayerCache(lastLayer, output, mask)));
            }
            return (after, KvCache.Assemble(sequences, width, parts));
        }
        finally
        {
            parts.ForEach(part =>
            {
                part.Rows.Dispose();
                part.Part.Dispose();
            });
        }
    }

    public void Dispose()
    {
        After.Dispose();
        _cache.Dispose();
    }
}

/// <summary>
/// One chunk of <see cref="UpperLayerSuffixes"/>: its sequences (local index i = position in <see cref="Sequences"/>),
/// its columns <see cref="Split"/> .. <see cref="Width"/> - 1 (Width = the longest sequence), h_L there
/// [C, Width - Split, d], and the frozen prefix of the layers above L. Owns its tensors (outside any dispose scope).
/// </summary>
internal sealed class SuffixChunk : IDisposable
{
    private readonly Tensor _mask;
    private readonly KvCache _prefix;
    private readonly int _lastLayer;

    public SuffixChunk(UpperLayerSuffixes all, IReadOnlyList<int> sequences, int split, KvCache cache)
    {
        Sequences = [.. sequences];
        Local = Sequences.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => (long)p.i);
        Split = split;
        Width = sequences.Max(s => all.Batch.Lengths[s]);
        _lastLayer = all.LastLayer;
        using var rows = tensor(Sequences.Select(s => (long)s).ToArray());
        _mask = all.Batch.Mask.index_select(0, rows).narrow(1, 0, Width).DetachFromDisposeScope();
        After = all.After.index_select(0, rows).narrow(1, split, Width - split).DetachFromDisposeScope();
        _prefix = cache.Prefix(rows, split);
    }

    public int[] Sequences { get; }

    /// <summary>Sequence index -> row in this chunk.</summary>
    public IReadOnlyDictionary<int, long> Local { get; }
    public int Split { get; }
    public int Width { get; }

    /// <summary>Columns run per sequence: Width - Split.</summary>
    public int Columns => Width - Split;

    /// <summary>h_L at the chunk's columns [C, Columns, d].</summary>
    public Tensor After { get; }

    /// <summary>Index of (sequence, position) in the chunk's flattened columns [C * Columns].</summary>
    public long FlatIndex(int sequence, int position) => Local[sequence] * Columns + position - Split;

    /// <summary>Final-norm hidden states [C, Columns, d] of the chunk's columns from an edited h_L there ([C, Columns, d]).</summary>
    public Tensor Hidden(LanguageModel model, Tensor editedAfter) => model.Model.HiddenAfterLayer(_lastLayer, editedAfter, _mask, _prefix);

    public void Dispose()
    {
        _mask.Dispose();
        After.Dispose();
        _prefix.Dispose();
    }
}
