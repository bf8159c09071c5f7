using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Grouped-query self-attention: q = x Wq^T [B,H,T,d], k/v = x Wk^T, x Wv^T [B,KV,T,d] (rotary on q, k),
/// each kv head serves H/KV query heads; out = softmax(q k^T / sqrt(d) + mask) v, then o_proj.
/// </summary>
public sealed class LlamaAttention : ExplicitModule
{
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;

    public LlamaAttention(LlamaConfig config, Generator generator) : base("LlamaAttention")
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        var std = config.InitializerRange;
        QProj = new LinearNoBias(config.HiddenSize, _heads * _headDim, std, generator);
        KProj = new LinearNoBias(config.HiddenSize, _kvHeads * _headDim, std, generator);
        VProj = new LinearNoBias(config.HiddenSize, _kvHeads * _headDim, std, generator);
        OProj = new LinearNoBias(_heads * _headDim, config.HiddenSize, std, generator);
        register_module("q_proj", QProj);
        register_module("k_proj", KProj);
        register_module("v_proj", VProj);
        register_module("o_proj", OProj);
    }

    public LinearNoBias QProj { get; }
    public LinearNoBias KProj { get; }
    public LinearNoBias VProj { get; }
    public LinearNoBias OProj { get; }

    /// <summary>
    /// x [B,T,D]; cos/sin [B,1,T,d]; allowed [B,1,T,P+T] bool (true = may attend); cache adds P past positions.
    /// Returns [B,T,D].
    /// </summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor allowed, int layerIndex, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], steps = x.shape[1];
        var q = SplitHeads(QProj.Forward(x), _heads);
        var k = SplitHeads(KProj.Forward(x), _kvHeads);
        var v = SplitHeads(VProj.Forward(x), _kvHeads);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null)
        {
            (k, v) = cache.Append(layerIndex, k, v);
        }
        var context = ScaledDotProductAttention(q, RepeatKv(k), RepeatKv(v), allowed);
        var merged = context.transpose(1, 2).reshape(batch, steps, _heads * _headDim);
        return OProj.Forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>softmax(q k^T / sqrt(d), masked positions at float.MinValue) v; q [B,H,T,d], k/v [B,H,S,d].</summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor allowed)
    {
        using var scope = NewDisposeScope();
        using var scale = (1.0 / Math.Sqrt(q.shape[^1])).ToScalar();
        var scores = q.matmul(k.transpose(-2, -1)).mul(scale);
        scores = scores.masked_fill(allowed.logical_not(), KeptScalars.FloatMin);
        var probabilities = scores.softmax(-1);
        return probabilities.matmul(v).MoveToOuterDisposeScope();
    }

    /// <summary>[B,T,heads*d] -> [B,heads,T,d].</summary>
    private Tensor SplitHeads(Tensor x, int heads) =>
        x.view(x.shape[0], x.shape[1], heads, _headDim).transpose(1, 2);

    /// <summary>HF repeat_kv: [B,KV,S,d] -> [B,H,S,d], kv head j serves query heads j*g .. j*g+g-1.</summary>
    private Tensor RepeatKv(Tensor kv)
    {
        var groups = _heads / _kvHeads;
        return groups == 1 ? kv.alias() : kv.repeat_interleave(groups, dim: 1);
    }
}
