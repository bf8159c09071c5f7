using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Keys and values of past positions per layer ([B, kv_heads, P, head_dim], after rotary), so a forward over
/// new tokens attends to them. The attention mask passed with a cached forward covers P + T columns. A frozen cache
/// (<see cref="Prefix"/>) is read, never extended: every forward over it attends to the same P positions, and gradients
/// flow through the new positions' keys and values.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    public KvCache(int layerCount)
    {
        _keys = new Tensor?[layerCount];
        _values = new Tensor?[layerCount];
    }

    /// <summary>Number of cached positions P.</summary>
    public long Length { get; private set; }

    /// <summary>True for a read-only prefix (<see cref="Prefix"/>).</summary>
    public bool IsFrozen { get; private init; }

    /// <summary>
    /// A frozen cache of the given batch rows [n] and the first <paramref name="columns"/> positions of every cached layer
    /// (the keys and values of a prefix that later forwards share).
    /// </summary>
    public KvCache Prefix(Tensor rows, long columns)
    {
        if (columns < 0 || columns > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"A prefix of a cache of {Length} positions.");
        }
        var prefix = new KvCache(_keys.Length) { Length = columns, IsFrozen = true };
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            prefix._keys[layer] = _keys[layer]?.index_select(0, rows).narrow(2, 0, columns).DetachFromDisposeScope();
            prefix._values[layer] = _values[layer]?.index_select(0, rows).narrow(2, 0, columns).DetachFromDisposeScope();
        }
        return prefix;
    }

    /// <summary>
    /// One cache of <paramref name="rows"/> sequences and <paramref name="length"/> positions from caches of parts of them
    /// (each part: its rows in the whole [n] and a cache of up to <paramref name="length"/> positions; columns a part does
    /// not cover stay zero -- padding no mask lets a query see). Disposes nothing it is given.
    /// </summary>
    public static KvCache Assemble(long rows, long length, IReadOnlyList<(Tensor Rows, KvCache Part)> parts)
    {
        var layerCount = parts.Count == 0 ? 0 : parts[0].Part._keys.Length;
        var whole = new KvCache(layerCount) { Length = length };
        for (var layer = 0; layer < layerCount; layer++)
        {
            whole._keys[layer] = Gather(rows, length, parts.Select(p => (p.Rows, p.Part._keys[layer])).ToList());
            whole._values[layer] = Gather(rows, length, parts.Select(p => (p.Rows, p.Part._values[layer])).ToList());
        }
        return whole;
    }

    private static Tensor? Gather(long rows, long length, IReadOnlyList<(Tensor Rows, Tensor? Part)> parts)
    {
        if (parts.Count == 0 || parts[0].Part is not { } first)
        {
            return null;
        }
        var whole = zeros(rows, first.shape[1], length, first.shape[3], dtype: first.dtype);
        foreach (var (index, part) in parts)
        {
            whole.narrow(2, 0, part!.shape[2]).index_copy_(0, index, part);
        }
        return whole.DetachFromDisposeScope();
    }

    /// <summary>
    /// Concatenates the new keys/values [B,kv,T,d] after the cached ones and returns [B,kv,P+T,d]; a frozen cache keeps
    /// its P positions (and the new ones keep their gradients).
    /// </summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        if (IsFrozen)
        {
            return _keys[layer] is { } past ? (cat([past, keys], 2), cat([_values[layer]!, values], 2)) : (keys, values);
        }
        _keys[layer] = Concat(_keys[layer], keys);
        _values[layer] = Concat(_values[layer], values);
        return (_keys[layer]!, _values[layer]!);
    }

    private static Tensor Concat(Tensor? past, Tensor next)
    {
        var joined = past is null ? next.detach() : cat([past, next.detach()], 2);
        past?.Dispose();
        return joined.DetachFromDisposeScope();
    }

    internal void Advance(long newTokens)
    {
        if (!IsFrozen)
        {
            Length += newTokens;
        }
    }

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
        {
            t?.Dispose();
        }
        Array.Clear(_keys);
        Array.Clear(_values);
        Length = 0;
    }
}
