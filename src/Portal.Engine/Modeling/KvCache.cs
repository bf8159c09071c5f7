using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Keys and values of past positions per layer ([B, kv_heads, P, head_dim], after rotary), so a forward over
/// new tokens attends to them. The attention mask passed with a cached forward covers P + T columns.
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

    /// <summary>Concatenates the new keys/values [B,kv,T,d] after the cached ones and returns [B,kv,P+T,d].</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
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

    internal void Advance(long newTokens) => Length += newTokens;

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
