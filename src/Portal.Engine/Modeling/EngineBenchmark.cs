using Lethe.Engine.Modeling.Inference;
using Lethe.Engine.Training;
using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>One measured figure.</summary>
public sealed record BenchmarkFigure(string Name, double Value, string Unit);

/// <summary>
/// Throughput figures of the engine on this machine: a 1024^3 fp32 matmul (2*n^3 FLOP, shows whether libtorch's
/// BLAS is the optimised one: tens of GFLOP/s, not ~1), forward and training tokens/s for a batch of
/// 16 x 64 tokens, and greedy generation tokens/s with and without the KV cache.
/// </summary>
public static class EngineBenchmark
{
    public static LlamaConfig DefaultConfig { get; } = new()
    {
        VocabSize = 2000, HiddenSize = 256, IntermediateSize = 1024, NumHiddenLayers = 4,
        NumAttentionHeads = 4, NumKeyValueHeads = 4, MaxPositionEmbeddings = 256, EosTokenIds = [2], PadTokenId = 0,
    };

    public static IReadOnlyList<BenchmarkFigure> Run(TimeProvider time, LlamaConfig? config = null, int batch = 16, int length = 64, int repeats = 5)
    {
        var threads = TorchRuntime.Initialise();
        config ??= DefaultConfig;
        var figures = new List<BenchmarkFigure> { new("intra-op threads", threads, "threads"), MatmulFigure(time) };
        using var model = new LlamaForCausalLM(config, seed: 1);
        using var generator = new Generator(7);
        using var ids = randint(3, config.VocabSize, [batch, length], generator: generator);
        var tokens = (double)batch * length;

        using (no_grad())
        {
            model.Forward(ids).Dispose();
            var forward = Time(time, repeats, () => model.Forward(ids).Dispose());
            figures.Add(new("forward", tokens / forward, "tokens/s"));
        }

        var items = Enumerable.Range(0, batch)
            .Select(b => new PromptAnswer([.. ids[b, ..8].data<long>().ToArray().Select(v => (int)v)], [.. ids[b, 8..].data<long>().ToArray().Select(v => (int)v)]))
            .ToList();
        using (var optimiser = new ParameterOptimiser(model.parameters(), new OptimiserSettings(), 100))
        using (var tokenBatch = TokenBatch.Build(items, 0))
        {
            optimiser.Step(() => CausalLmTrainer.CrossEntropy(model, tokenBatch));
            var step = Time(time, repeats, () => optimiser.Step(() => CausalLmTrainer.CrossEntropy(model, tokenBatch)));
            figures.Add(new("training step (AdamW)", tokens / step, "tokens/s"));
        }

        var prompts = items.Select(i => i.Prompt).ToList();
        const int newTokens = 48;
        foreach (var useCache in new[] { true, false })
        {
            var seconds = Time(time, 1, () => GreedyGenerator.GenerateGreedy(model, prompts, newTokens, new HashSet<int>(), 0, useCache));
            figures.Add(new(useCache ? "generation, KV cache" : "generation, no cache", prompts.Count * newTokens / seconds, "new tokens/s"));
        }
        return figures;
    }

    private static BenchmarkFigure MatmulFigure(TimeProvider time)
    {
        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        a.matmul(b).Dispose();
        var seconds = Time(time, 10, () => a.matmul(b).Dispose());
        return new("matmul 1024^3 fp32", 2.0 * 1024 * 1024 * 1024 / seconds / 1e9, "GFLOP/s");
    }

    /// <summary>Mean wall-clock seconds of <paramref name="action"/> over <paramref name="repeats"/> runs.</summary>
    private static double Time(TimeProvider time, int repeats, Action action)
    {
        var start = time.GetTimestamp();
        for (var i = 0; i < repeats; i++)
        {
            using var scope = NewDisposeScope();
            action();
        }
        return time.GetElapsedTime(start).TotalSeconds / repeats;
    }
}
