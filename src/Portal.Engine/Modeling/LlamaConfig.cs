namespace Lethe.Engine.Modeling;

/// <summary>Llama 3 `rope_scaling` block: stretches low rotary frequencies for long contexts.</summary>
public sealed record RopeScaling(
    string RopeType,
    double Factor,
    double LowFreqFactor,
    double HighFreqFactor,
    int OriginalMaxPositionEmbeddings);

/// <summary>
/// The HF `config.json` of a LlamaForCausalLM, with our extra key `lethe_prompt_format`.
/// Read and written by <see cref="LlamaConfigJson"/>; keys this class does not model survive a round-trip.
/// </summary>
public sealed record LlamaConfig
{
    public int VocabSize { get; init; } = 2000;
    public int HiddenSize { get; init; } = 256;
    public int IntermediateSize { get; init; } = 1024;
    public int NumHiddenLayers { get; init; } = 4;
    public int NumAttentionHeads { get; init; } = 4;
    public int NumKeyValueHeads { get; init; } = 4;
    /// <summary>Explicit `head_dim`; null means hidden_size / num_attention_heads.</summary>
    public int? ExplicitHeadDim { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 512;
    public double RmsNormEps { get; init; } = 1e-5;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public bool TieWordEmbeddings { get; init; } = true;
    public int? BosTokenId { get; init; }
    /// <summary>`eos_token_id` may be one id or a list in HF files.</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }
    public string TorchDtype { get; init; } = "float32";
    /// <summary>Our key `lethe_prompt_format` (for example "plain-qa"); null when absent.</summary>
    public string? PromptFormat { get; init; }
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>Keys of the source file this record does not model, kept verbatim for the next write.</summary>
    public System.Text.Json.Nodes.JsonObject? ExtraKeys { get; init; }

    public int HeadDim => ExplicitHeadDim ?? HiddenSize / NumAttentionHeads;

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> when the shapes are inconsistent.</summary>
    public void Validate(string source = "config")
    {
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new InvalidDataException($"{source}: invalid Llama configuration: {message}");
            }
        }

        Require(VocabSize > 0, $"vocab_size must be positive (got {VocabSize})");
        Require(HiddenSize > 0, $"hidden_size must be positive (got {HiddenSize})");
        Require(IntermediateSize > 0, $"intermediate_size must be positive (got {IntermediateSize})");
        Require(NumHiddenLayers > 0, $"num_hidden_layers must be positive (got {NumHiddenLayers})");
        Require(NumAttentionHeads > 0, $"num_attention_heads must be positive (got {NumAttentionHeads})");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0,
            $"num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads})");
        Require(ExplicitHeadDim is not null || HiddenSize % NumAttentionHeads == 0,
            $"hidden_size ({HiddenSize}) must be divisible by num_attention_heads ({NumAttentionHeads}) when head_dim is absent");
        Require(HeadDim > 0 && HeadDim % 2 == 0, $"head_dim must be a positive even number (got {HeadDim})");
        Require(MaxPositionEmbeddings > 0, $"max_position_embeddings must be positive (got {MaxPositionEmbeddings})");
        Require(RmsNormEps > 0, $"rms_norm_eps must be positive (got {RmsNormEps})");
        Require(RopeTheta > 0, $"rope_theta must be positive (got {RopeTheta})");
        if (RopeScaling is { } s)
        {
            Require(s.RopeType == "llama3", $"rope_scaling.rope_type '{s.RopeType}' is not supported (only 'llama3')");
            Require(s.Factor > 0 && s.LowFreqFactor > 0 && s.HighFreqFactor > s.LowFreqFactor && s.OriginalMaxPositionEmbeddings > 0,
                "rope_scaling needs factor > 0, 0 < low_freq_factor < high_freq_factor and original_max_position_embeddings > 0");
        }
        foreach (var id in EosTokenIds.Concat(BosTokenId is { } b ? [b] : []).Concat(PadTokenId is { } p ? [p] : []))
        {
            Require(id >= 0 && id < VocabSize, $"special token id {id} is outside the vocabulary (size {VocabSize})");
        }
    }
}
