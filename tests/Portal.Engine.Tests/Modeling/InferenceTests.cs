using Lethe.Engine.Modeling;
using Lethe.Engine.Modeling.Inference;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Modeling;

public class InferenceTests
{
    private static readonly int[][] Prompts = [[1, 5, 9, 12, 4, 3], [1, 7], [1, 22, 30, 8]];
    private static readonly HashSet<int> Stop = [2];

    private static LlamaForCausalLM Model() => new(TinyModels.Config(), seed: 11);

    [Fact]
    public void CacheAndNoCacheGiveIdenticalTokens()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        var cached = GreedyGenerator.GenerateGreedy(model, Prompts, 12, Stop, padId: 0, useCache: true);
        var uncached = GreedyGenerator.GenerateGreedy(model, Prompts, 12, Stop, padId: 0, useCache: false);
        Assert.Equal(uncached, cached);
        Assert.All(cached, row => Assert.True(row.Length > 0));
    }

    [Fact]
    public void LeftPaddedBatchEqualsOneByOne()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        var batched = GreedyGenerator.GenerateGreedy(model, Prompts, 10, Stop, padId: 0);
        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(GreedyGenerator.GenerateGreedy(model, [Prompts[i]], 10, Stop, padId: 0)[0], batched[i]);
        }
    }

    [Fact]
    public void StopsAtStopTokenWithoutReturningIt()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        var free = GreedyGenerator.GenerateGreedy(model, [Prompts[0]], 6, new HashSet<int>(), padId: 0)[0];
        var stopAtThird = new HashSet<int> { free[2] };
        var stopped = GreedyGenerator.GenerateGreedy(model, [Prompts[0]], 6, stopAtThird, padId: 0)[0];
        Assert.Equal(free.TakeWhile(t => t != free[2]).ToArray(), stopped);
        var callback = GreedyGenerator.GenerateGreedy(model, [Prompts[0]], 6, new HashSet<int>(), 0, stopAfter: (tokens, _) => tokens.Length == 4)[0];
        Assert.Equal(free[..4], callback);
        var forbidFirst = GreedyGenerator.GenerateGreedy(model, [Prompts[0]], 6, new HashSet<int> { free[0] }, 0, minNewTokens: 1)[0];
        Assert.NotEmpty(forbidFirst);
        Assert.NotEqual(free[0], forbidFirst[0]);
    }

    [Fact]
    public void BatchedScoringEqualsOneByOne()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        PromptAnswer[] items = [new([1, 5, 9], [12, 4, 2]), new([1, 7], [3, 3, 3, 3, 2]), new([1, 22, 30, 8, 6], [2])];
        var batched = TeacherForcedScorer.Score(model, items, padId: 0, batchSize: 3);
        for (var i = 0; i < items.Length; i++)
        {
            var single = TeacherForcedScorer.Score(model, [items[i]], padId: 0)[0];
            Assert.Equal(items[i].Answer.Length, batched[i].TokenCount);
            Assert.Equal(single.SummedLoss, batched[i].SummedLoss, 4);
            Assert.Equal(single.MeanLoss, batched[i].MeanLoss, 4);
            Assert.Equal(single.TokenIsArgmax, batched[i].TokenIsArgmax);
            Assert.Equal(-batched[i].TokenLogProbs.Sum(v => (double)v), batched[i].SummedLoss, 5);
        }
    }

    [Fact]
    public void ScoreMatchesLogSoftmaxOfForward()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        var score = TeacherForcedScorer.Score(model, [new PromptAnswer([1, 5], [9, 2])], padId: 0)[0];
        using var noGrad = no_grad();
        using var ids = tensor(new long[,] { { 1, 5, 9 } });
        using var logProbs = model.Forward(ids).log_softmax(-1);
        Assert.Equal(logProbs[0, 1, 9].item<float>(), score.TokenLogProbs[0], 5);
        Assert.Equal(logProbs[0, 2, 2].item<float>(), score.TokenLogProbs[1], 5);
        Assert.Equal(logProbs[0, 1].argmax().item<long>() == 9, score.TokenIsArgmax[0]);
    }

    [Fact]
    public void SummedLogLikelihoodIsDifferentiableAndMatchesScorer()
    {
        TorchRuntime.Initialise();
        using var model = Model();
        PromptAnswer[] items = [new([1, 5, 9], [12, 4, 2]), new([1, 7], [3, 2])];
        using var batch = TokenBatch.Build(items, padId: 0);
        using var summed = TargetLogProbabilities.Summed(model, batch);
        var scores = TeacherForcedScorer.Score(model, items, padId: 0);
        var values = summed.data<float>().ToArray();
        Assert.Equal(-scores[0].SummedLoss, values[0], 4);
        Assert.Equal(-scores[1].SummedLoss, values[1], 4);
        using var total = summed.sum();
        total.backward();
        Assert.NotNull(model.DownProjWeight(0).grad);
    }
}
