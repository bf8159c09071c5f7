using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Modeling;
using Lethe.Engine.Text;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>
/// Timing of the evaluation runner. When no trained model is at hand, <see cref="FreshModel"/> builds a freshly
/// initialised model whose byte-level BPE tokenizer is trained on the data folder's full.json (questions and answers),
/// so token counts are those of the data's vocabulary. A fresh model never emits EOS: every generation runs to
/// max_new_tokens, an upper bound on generation time (a trained model stops at the end of its answer).
/// </summary>
public static class EvaluationBenchmark
{
    public static readonly string[] SpecialTokens = ["<s>", "</s>", "<pad>"];

    /// <summary>The tiny configuration used for timing (the engine benchmark's: 4 layers, hidden 256, MLP 1024).</summary>
    public static LlamaConfig TinyConfig(ByteLevelBpeTokenizer tokenizer) => EngineBenchmark.DefaultConfig with
    {
        VocabSize = tokenizer.VocabSize,
        MaxPositionEmbeddings = 512,
        BosTokenId = tokenizer.BosId,
        EosTokenIds = [tokenizer.EosId],
        PadTokenId = tokenizer.PadId,
        PromptFormat = LanguageModel.DefaultPromptFormat,
    };

    public static LanguageModel FreshModel(string dataDirectory, int vocabSize = 2000, long seed = 1)
    {
        EvaluationData.RequireFolder(dataDirectory);
        var corpus = TofuDataset.Load(Path.Combine(dataDirectory, "full.json")).SelectMany(item => new[] { item.Question, item.Answer });
        var tokenizer = ByteLevelBpeTrainer.Train(corpus, vocabSize, SpecialTokens);
        TorchRuntime.Initialise();
        return new LanguageModel(new LlamaForCausalLM(TinyConfig(tokenizer), seed), tokenizer, PromptFormat.Get(LanguageModel.DefaultPromptFormat));
    }

    /// <summary>The figures of one run: items/s, the split of time between generation and scoring, and token throughputs.</summary>
    public static IReadOnlyList<BenchmarkFigure> Figures(EvaluationResult result)
    {
        var timing = result.Timing;
        var total = Math.Max(timing.Total.TotalSeconds, 1e-9);
        return
        [
            new("items", timing.Items, "items"),
            new("total time", timing.Total.TotalSeconds, "s"),
            new("throughput", timing.ItemsPerSecond, "items/s"),
            new("generation time", timing.Generation.TotalSeconds, "s"),
            new("generation share", 100 * timing.Generation.TotalSeconds / total, "%"),
            new("generated tokens", timing.GeneratedTokens, "tokens"),
            new("generation speed", timing.GeneratedTokensPerSecond, "new tokens/s"),
            new("scoring time", timing.Scoring.TotalSeconds, "s"),
            new("scoring share", 100 * timing.Scoring.TotalSeconds / total, "%"),
            new("scored sequences", timing.ScoredSequences, "sequences"),
            new("scoring speed", timing.ScoredTokensPerSecond, "tokens/s"),
            new("other (data, metrics)", timing.Other.TotalSeconds, "s"),
        ];
    }
}
