using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Llama decoder-only language model with HF LlamaForCausalLM parameter names
/// (`model.embed_tokens.weight`, `model.layers.{i}...`, `model.norm.weight`, `lm_head.weight` unless tied).
/// </summary>
public sealed class LlamaForCausalLM : ExplicitModule
{
    private readonly LlamaBackbone _model;
    private LinearNoBias? _lmHead;
    private readonly Tensor _invFreq;

    /// <summary>Builds a model with seeded initialisation: normal(0, initializer_range) weights, unit norms.</summary>
    public LlamaForCausalLM(LlamaConfig config, long seed = 0) : base("LlamaForCausalLM")
    {
        config.Validate();
        Config = config;
        using var generator = new Generator((ulong)seed);
        _model = new LlamaBackbone(config, generator);
        register_module("model", _model);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = new LinearNoBias(config.HiddenSize, config.VocabSize, config.InitializerRange, generator);
            register_module("lm_head", _lmHead);
        }
        _invFreq = RotaryEmbedding.InverseFrequencies(config);
    }

    public LlamaConfig Config { get; private set; }
    public int LayerCount => _model.Layers.Count;
    public IReadOnlyList<LlamaDecoderLayer> Layers => _model.Layers;

    /// <summary>The input embedding table [vocab, D] (live parameter).</summary>
    public Parameter EmbeddingWeight => _model.EmbedTokens.Weight;

    /// <summary>The output head [vocab, D]: the embedding table itself when tied.</summary>
    public Parameter OutputWeight => _lmHead?.Weight ?? _model.EmbedTokens.Weight;

    /// <summary>The live down_proj parameter of a layer, [d_model, d_ff].</summary>
    public Parameter DownProjWeight(int layer) => _model.Layers[layer].Mlp.DownProj.Weight;

    /// <summary>
    /// inputIds [B,T] int64 -> logits [B,T,V] fp32. attentionMask [B,P+T] (1 = token, 0 = pad; P = cached positions)
    /// gives position ids (cumulative count of tokens, so left padding works) and the padding mask.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, ForwardHooks? hooks = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var hidden = Hidden(inputIds, attentionMask, hooks, cache);
        var logits = nn.functional.linear(hidden, OutputWeight);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>The final-norm hidden states [B,T,D] (what the head multiplies).</summary>
    public Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, ForwardHooks? hooks = null, KvCache? cache = null)
    {
        if (inputIds.dim() != 2 || inputIds.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"inputIds must be a [B,T] int64 tensor (got {inputIds.dtype} [{string.Join(",", inputIds.shape)}])");
        }
        using var scope = NewDisposeScope();
        long batch = inputIds.shape[0], steps = inputIds.shape[1];
        if (inputIds.numel() > 0 && (inputIds.min().item<long>() < 0 || inputIds.max().item<long>() >= Config.VocabSize))
        {
            throw new ArgumentException($"inputIds hold token ids outside the vocabulary [0, {Config.VocabSize})");
        }
        var past = cache?.Length ?? 0;
        var mask = attentionMask?.to(ScalarType.Int64) ?? ones(batch, past + steps, dtype: ScalarType.Int64);
        if (mask.shape[0] != batch || mask.shape[1] != past + steps)
        {
            throw new ArgumentException($"attentionMask must be [B, cached + T] = [{batch},{past + steps}] (got [{string.Join(",", mask.shape)}])");
        }
        var hidden = RunLayers(_model.EmbedTokens.Forward(inputIds), mask, past, 0, cache, hooks);
        cache?.Advance(steps);
        return _model.Norm.Forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Logits [B,T,V] from the residual stream after layer <paramref name="afterLayer"/> (hidden [B,T,D], e.g. captured
    /// with <see cref="ForwardHooks.CaptureLayerOutputAt"/> and then edited): only the layers above it and the head run,
    /// so an optimisation of that layer's output need not repeat the layers below. attentionMask [B,T] as in the pass
    /// that produced hidden.
    /// </summary>
    public Tensor ForwardAfterLayer(int afterLayer, Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        return nn.functional.linear(HiddenAfterLayer(afterLayer, hidden, attentionMask), OutputWeight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="ForwardAfterLayer"/> up to the final norm: hidden states [B,T,D] the head multiplies (a caller that
    /// needs a few positions only gathers them first and applies <see cref="OutputWeight"/> to those).
    /// </summary>
    public Tensor HiddenAfterLayer(int afterLayer, Tensor hidden, Tensor attentionMask)
    {
        RequireStreamAfter(afterLayer, hidden, attentionMask);
        using var scope = NewDisposeScope();
        var output = RunLayers(hidden, attentionMask.to(ScalarType.Int64), 0, afterLayer + 1, null, null);
        return _model.Norm.Forward(output).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The keys and values of the layers above <paramref name="afterLayer"/> over hidden [B,T,D] (the residual stream after
    /// it; attentionMask [B,T]), without gradients: what <see cref="KvCache.Prefix"/> cuts the shared prefix of later
    /// <see cref="HiddenAfterLayer(int, Tensor, Tensor, KvCache)"/> calls from.
    /// </summary>
    public KvCache UpperLayerCache(int afterLayer, Tensor hidden, Tensor attentionMask)
    {
        RequireStreamAfter(afterLayer, hidden, attentionMask);
        using var _ = no_grad();
        var cache = new KvCache(LayerCount);
        using var scope = NewDisposeScope();
        RunLayers(hidden, attentionMask.to(ScalarType.Int64), 0, afterLayer + 1, cache, null);
        cache.Advance(hidden.shape[1]);
        return cache;
    }

    /// <summary>
    /// <see cref="HiddenAfterLayer(int, Tensor, Tensor)"/> of the columns after a frozen <paramref name="prefix"/> of P
    /// positions: suffix [B,T,D] = the residual stream after <paramref name="afterLayer"/> at columns P..P+T-1, attentionMask
    /// [B,P+T]; returns [B,T,D]. Equal to the whole pass's columns P.. when the prefix columns' stream is the one the cache
    /// was built from (causal attention: later columns never change earlier ones).
    /// </summary>
    public Tensor HiddenAfterLayer(int afterLayer, Tensor suffix, Tensor attentionMask, KvCache prefix)
    {
        if (!prefix.IsFrozen)
        {
            throw new ArgumentException("The prefix cache must be frozen (KvCache.Prefix): a forward would extend it.", nameof(prefix));
        }
        RequireStreamAfter(afterLayer, suffix, attentionMask, prefix.Length);
        using var scope = NewDisposeScope();
        var output = RunLayers(suffix, attentionMask.to(ScalarType.Int64), prefix.Length, afterLayer + 1, prefix, null);
        return _model.Norm.Forward(output).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The residual stream after layer <paramref name="lastLayer"/> [B,T,D] of inputIds [B,T] (attentionMask [B,T]): only
    /// layers 0..lastLayer run (no later layer, norm or head), for callers that read activations up to there through
    /// <paramref name="hooks"/> -- the same values a whole forward pass captures.
    /// </summary>
    public Tensor LayerOutput(Tensor inputIds, Tensor attentionMask, int lastLayer, ForwardHooks? hooks = null)
    {
        if (lastLayer < 0 || lastLayer >= LayerCount || inputIds.dim() != 2 || !attentionMask.shape.SequenceEqual(inputIds.shape))
        {
            throw new ArgumentException(
                $"Need a layer in [0, {LayerCount}) and ids [B,T] with mask [B,T] (got layer {lastLayer}, [{string.Join(",", inputIds.shape)}], [{string.Join(",", attentionMask.shape)}])");
        }
        using var scope = NewDisposeScope();
        var hidden = RunLayers(_model.EmbedTokens.Forward(inputIds), attentionMask.to(ScalarType.Int64), 0, 0, null, hooks, lastLayer + 1);
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>A layer in range and hidden [B,T,D] with a mask [B, past+T] (past = cached positions before hidden's columns).</summary>
    private void RequireStreamAfter(int afterLayer, Tensor hidden, Tensor attentionMask, long past = 0)
    {
        if (afterLayer < 0 || afterLayer >= LayerCount || hidden.dim() != 3 || attentionMask.shape[0] != hidden.shape[0] || attentionMask.shape[1] != past + hidden.shape[1])
        {
            throw new ArgumentException(
                $"Need a layer in [0, {LayerCount}) and hidden [B,T,D] with mask [B,{past}+T] (got layer {afterLayer}, [{string.Join(",", hidden.shape)}], [{string.Join(",", attentionMask.shape)}])");
        }
    }

    /// <summary>Layers firstLayer.. (at most <paramref name="layerCount"/> of them) on hidden [B,T,D] with positions and attention from mask [B, past+T].</summary>
    private Tensor RunLayers(Tensor hidden, Tensor mask, long past, int firstLayer, KvCache? cache, ForwardHooks? hooks, int? layerCount = null)
    {
        var steps = hidden.shape[1];
        var positions = PositionIds(mask).narrow(1, past, steps);
        var (cos, sin) = RotaryEmbedding.CosSin(positions, _invFreq);
        var allowed = AttentionAllowed(mask, past, steps);
        foreach (var layer in _model.Layers.Skip(firstLayer).Take(layerCount ?? LayerCount))
        {
            hidden = layer.Forward(hidden, cos, sin, allowed, cache, hooks);
        }
        return hidden;
    }

    /// <summary>HF generate convention: position = cumsum(mask) - 1, pads get position 1. mask [B,S] -> [B,S].</summary>
    public static Tensor PositionIds(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var positions = mask.cumsum(1, ScalarType.Int64).add(KeptScalars.MinusOne);
        return positions.masked_fill(mask.eq(KeptScalars.Zero), KeptScalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>allowed[b,0,i,j] = (j &lt;= past + i) and mask[b,j] = 1; shape [B,1,T,past+T].</summary>
    public static Tensor AttentionAllowed(Tensor mask, long past, long steps)
    {
        using var scope = NewDisposeScope();
        var keyIndex = arange(past + steps, dtype: ScalarType.Int64).unsqueeze(0);  // [1,S]
        var queryIndex = arange(past, past + steps, dtype: ScalarType.Int64).unsqueeze(1); // [T,1]
        var causal = keyIndex.le(queryIndex);                                         // [T,S]
        var padding = mask.ne(0).unsqueeze(1).unsqueeze(1);                          // [B,1,1,S]
        return causal.unsqueeze(0).unsqueeze(0).logical_and(padding).MoveToOuterDisposeScope();
    }

    /// <summary>Grows embed_tokens (and an untied lm_head) to newVocabSize rows; new rows = mean of the old rows.</summary>
    public void ResizeTokenEmbeddings(int newVocabSize)
    {
        var oldVocab = Config.VocabSize;
        if (newVocabSize < oldVocab)
        {
            throw new ArgumentOutOfRangeException(nameof(newVocabSize), $"cannot shrink the vocabulary from {oldVocab} to {newVocabSize}");
        }
        if (newVocabSize == oldVocab)
        {
            return;
        }
        using (no_grad())
        {
            _model.EmbedTokens.ReplaceWeight(GrowRows(_model.EmbedTokens.Weight, newVocabSize));
            _lmHead?.ReplaceWeight(GrowRows(_lmHead.Weight, newVocabSize));
        }
        Config = Config with { VocabSize = newVocabSize };
    }

    /// <summary>[V,D] -> [V',D]: old rows kept, new rows = mean over old rows.</summary>
    private static Tensor GrowRows(Tensor weight, int rows)
    {
        using var scope = NewDisposeScope();
        var mean = weight.mean([0], keepdim: true);
        var extra = mean.expand(rows - weight.shape[0], weight.shape[1]);
        return cat([weight.detach(), extra], 0).contiguous().MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _invFreq.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>The `model.` part of LlamaForCausalLM: embed_tokens, layers, norm.</summary>
public sealed class LlamaBackbone : ExplicitModule
{
    public LlamaBackbone(LlamaConfig config, Generator generator) : base("LlamaModel")
    {
        EmbedTokens = new TokenEmbedding(config.VocabSize, config.HiddenSize, config.InitializerRange, generator);
        register_module("embed_tokens", EmbedTokens);
        var layers = new ModuleList<LlamaDecoderLayer>();
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            layers.Add(new LlamaDecoderLayer(config, i, generator));
        }
        Layers = layers.ToList();
        register_module("layers", layers);
        Norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        register_module("norm", Norm);
    }

    public TokenEmbedding EmbedTokens { get; }
    public IReadOnlyList<LlamaDecoderLayer> Layers { get; }
    public RmsNorm Norm { get; }
}
