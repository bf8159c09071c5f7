using Lethe.Engine.Modeling;
using Lethe.Engine.Text;

namespace Lethe.Engine.Training.Qa;

/// <summary>
/// Everything that decides a question/answer model trained from scratch: tokenizer size, Llama shape and the training
/// schedule. Two runs with equal recipes and equal data give the same model.
/// </summary>
public sealed record QaModelRecipe
{
    /// <summary>Target BPE vocabulary size (256 bytes + merges + the 3 special tokens).</summary>
    public int VocabSize { get; init; } = 1024;
    public int HiddenSize { get; init; } = 128;
    public int Layers { get; init; } = 4;
    public int AttentionHeads { get; init; } = 4;
    public int KeyValueHeads { get; init; } = 4;
    /// <summary>SwiGLU width d_ff.</summary>
    public int IntermediateSize { get; init; } = 512;
    public int MaxPositions { get; init; } = 256;
    public string PromptFormat { get; init; } = "plain-qa";
    public int Epochs { get; init; } = 60;
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 3e-3;
    public double WeightDecay { get; init; }
    public double WarmupFraction { get; init; } = 0.03;
    public double MinLearningRateFraction { get; init; } = 0.05;
    public long Seed { get; init; } = 1;

    /// <summary>The special tokens of every tokenizer this recipe trains (BOS, EOS, PAD; [UNL] is added later by UniErase).</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = ["<s>", "</s>", "<pad>"];

    /// <summary>The HF config of the model for <paramref name="tokenizer"/>.</summary>
    public LlamaConfig ToConfig(ByteLevelBpeTokenizer tokenizer) => new()
    {
        VocabSize = tokenizer.VocabSize,
        HiddenSize = HiddenSize,
        IntermediateSize = IntermediateSize,
        NumHiddenLayers = Layers,
        NumAttentionHeads = AttentionHeads,
        NumKeyValueHeads = KeyValueHeads,
        MaxPositionEmbeddings = MaxPositions,
        TieWordEmbeddings = false,
        BosTokenId = tokenizer.BosId,
        EosTokenIds = [tokenizer.EosId],
        PadTokenId = tokenizer.PadId,
        PromptFormat = PromptFormat,
    };

    public TrainingOptions ToTrainingOptions(int padId, int progressEvery) => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        Seed = Seed,
        PadTokenId = padId,
        ProgressEvery = progressEvery,
        Optimiser = new OptimiserSettings
        {
            LearningRate = LearningRate,
            WeightDecay = WeightDecay,
            WarmupFraction = WarmupFraction,
            MinLearningRateFraction = MinLearningRateFraction,
        },
    };

    public void Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok) { throw new ArgumentException($"Invalid model recipe: {message}"); }
        }
        Require(VocabSize >= 256 + SpecialTokens.Count, $"VocabSize must be at least {256 + SpecialTokens.Count}.");
        Require(HiddenSize > 0 && Layers > 0 && IntermediateSize > 0, "sizes must be positive.");
        Require(AttentionHeads > 0 && HiddenSize % AttentionHeads == 0, "HiddenSize must be divisible by AttentionHeads.");
        Require(KeyValueHeads > 0 && AttentionHeads % KeyValueHeads == 0, "AttentionHeads must be a multiple of KeyValueHeads.");
        Require(Epochs > 0 && BatchSize > 0 && LearningRate > 0, "Epochs, BatchSize and LearningRate must be positive.");
        Text.PromptFormat.Get(PromptFormat);
    }
}
