using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Modeling;
using Lethe.Engine.Text;
using Lethe.Engine.Training.Qa;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>
/// Timing of the evaluation runner. When no trained model is at hand, <see cref="FreshModel"/> builds a freshly
/// initialised model of a training recipe's size whose byte-level BPE tokenizer is trained on the data folder's
/// full.json, so token counts are those of the data's vocabulary. A fresh model never emits EOS: every generation runs to
/// max_new_tokens, an upper bound on generation time (a trained model stops at the end of its answer).
/// </summary>
public static class EvaluationBenchmark
{
    /// <summary>
    /// A fresh model built as <paramref name="recipe"/> would build it before training: BPE tokenizer (recipe vocabulary)
    /// on the rendered question/answer pairs of the data folder's full.json, then the recipe's Llama configuration.
    /// </summary>
    public static LanguageModel FreshModel(string dataDirectory, QaModelRecipe recipe)
    {
        EvaluationData.RequireFolder(dataDirectory);
        var format = PromptFormat.Get(recipe.PromptFormat);
        var pairs = TofuDataset.Load(Path.Combine(dataDirectory, "full.json")).Select(item => new QaPair(item.Question, item.Answer));
        var tokenizer = ByteLevelBpeTrainer.Train(QaModelTrainer.TokenizerCorpus(pairs, format), recipe.VocabSize, QaModelRecipe.SpecialTokens);
        TorchRuntime.Initialise();
        return new LanguageModel(new LlamaForCausalLM(recipe.ToConfig(tokenizer), recipe.Seed), tokenizer, format);
    }

    /// <summary>
    /// The figures of one run: items/s, the split of time between generation and scoring, token throughputs, and — given the
    /// process CPU time the run used — items per CPU-second (the fair figure on a machine shared with other work).
    /// </summary>
    public static IReadOnlyList<BenchmarkFigure> Figures(EvaluationResult result, TimeSpan? processorTime = null)
    {
        var timing = result.Timing;
        var total = Math.Max(timing.Total.TotalSeconds, 1e-9);
        IReadOnlyList<BenchmarkFigure> cpu = processorTime is { } used
            ?
            [
                new("process CPU time", used.TotalSeconds, "s"),
                new("CPU per wall second", used.TotalSeconds / total, "cores"),
                new("throughput per CPU second", timing.Items / Math.Max(used.TotalSeconds, 1e-9), "items/CPU-s"),
            ]
            : [];
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
            .. cpu,
        ];
    }
}
