using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Pre-norm decoder block: h = x + attn(norm1(x)); key = SiLU(gate(norm2(h))) * up(norm2(h)); out = h + down(key).
/// </summary>
public sealed class LlamaDecoderLayer : ExplicitModule
{
    public LlamaDecoderLayer(LlamaConfig config, int index, Generator generator) : base("LlamaDecoderLayer")
    {
        Index = index;
        SelfAttention = new LlamaAttention(config, generator);
        Mlp = new LlamaMlp(config, generator);
        InputLayerNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        PostAttentionLayerNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        register_module("self_attn", SelfAttention);
        register_module("mlp", Mlp);
        register_module("input_layernorm", InputLayerNorm);
        register_module("post_attention_layernorm", PostAttentionLayerNorm);
    }

    public int Index { get; }
    public LlamaAttention SelfAttention { get; }
    public LlamaMlp Mlp { get; }
    public RmsNorm InputLayerNorm { get; }
    public RmsNorm PostAttentionLayerNorm { get; }

    /// <summary>x [B,T,D] -> [B,T,D]; captures the MLP key and applies output edits when <paramref name="hooks"/> asks.</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor allowed, KvCache? cache, ForwardHooks? hooks)
    {
        using var scope = NewDisposeScope();
        var afterAttention = x.Plus(SelfAttention.Forward(InputLayerNorm.Forward(x), cos, sin, allowed, Index, cache));
        var key = Mlp.Key(PostAttentionLayerNorm.Forward(afterAttention));
        var output = afterAttention.Plus(Mlp.DownProj.Forward(key));
        if (hooks is not null)
        {
            if (hooks.CaptureDownProjInputAt.Contains(Index))
            {
                Store(hooks.DownProjInputs, key);
            }
            if (hooks.LayerOutputEdits.TryGetValue(Index, out var edit))
            {
                output = edit(output);
            }
            if (hooks.CaptureLayerOutputAt.Contains(Index))
            {
                Store(hooks.LayerOutputs, output);
            }
        }
        return output.MoveToOuterDisposeScope();
    }

    private void Store(Dictionary<int, Tensor> into, Tensor value)
    {
        if (into.Remove(Index, out var previous))
        {
            previous.Dispose();
        }
        into[Index] = ForwardHooks.Keep(value);
    }
}
