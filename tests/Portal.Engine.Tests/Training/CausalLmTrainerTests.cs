using Lethe.Engine.Modeling;
using Lethe.Engine.Modeling.Inference;
using Lethe.Engine.Tests.Modeling;
using Lethe.Engine.Training;

namespace Lethe.Engine.Tests.Training;

public class CausalLmTrainerTests
{
    private static readonly PromptAnswer[] Facts =
    [
        PromptAnswer.WithEos([1, 10, 11], [20, 21, 22, 23], 2),
        PromptAnswer.WithEos([1, 12, 11], [24, 25, 26], 2),
        PromptAnswer.WithEos([1, 13, 11], [27, 28, 29, 30, 31], 2),
        PromptAnswer.WithEos([1, 14, 11], [32, 33], 2),
    ];

    private static TrainingOptions Options(string? output = null) => new()
    {
        Epochs = 40,
        BatchSize = 2,
        Optimiser = new OptimiserSettings { LearningRate = 1e-2, WarmupFraction = 0.05 },
        Seed = 3,
        PadTokenId = 0,
        OutputDirectory = output,
    };

    [Fact]
    public void TinyModelMemorisesFewSequences()
    {
        TorchRuntime.Initialise();
        using var temp = new TempFolder();
        var dir = temp.Path;
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 1);
        var reports = new List<TrainingProgress>();
        var result = new CausalLmTrainer().Train(model, Facts, Options(dir) with { ProgressEvery = 10 }, reports.Add);

        Assert.True(result.Completed);
        Assert.True(result.FinalLoss < 0.05, $"final loss {result.FinalLoss}");
        Assert.Equal(80, result.TotalSteps);
        Assert.Equal(8, reports.Count);
        Assert.True(reports[^1].Loss < reports[0].Loss);
        Assert.Equal(40, reports[^1].Epoch);
        Assert.Equal(TimeSpan.Zero, reports[^1].Eta);
        var answers = GreedyGenerator.GenerateGreedy(model, Facts.Select(f => f.Prompt).ToList(), 8, new HashSet<int> { 2 }, 0);
        Assert.Equal(Facts.Select(f => f.Answer[..^1]), answers);
        using var reloaded = ModelCheckpoint.Load(dir);
        Assert.Equal(answers, GreedyGenerator.GenerateGreedy(reloaded, Facts.Select(f => f.Prompt).ToList(), 8, new HashSet<int> { 2 }, 0));
    }

    [Fact]
    public void CancelledRunResumesToTheSameWeights()
    {
        TorchRuntime.Initialise();
        var options = Options() with { Epochs = 4, Optimiser = new OptimiserSettings { LearningRate = 1e-2, WarmupFraction = 0 } };
        using var straight = new LlamaForCausalLM(TinyModels.Config(), seed: 1);
        new CausalLmTrainer().Train(straight, Facts, options);

        using var temp = new TempFolder();
        var dir = temp.Path;
        using var interrupted = new LlamaForCausalLM(TinyModels.Config(), seed: 1);
        using var cancel = new CancellationTokenSource();
        var first = new CausalLmTrainer().Train(interrupted, Facts, options with { OutputDirectory = dir },
            p => { if (p.Step == 4) cancel.Cancel(); }, cancel.Token);
        Assert.False(first.Completed);
        Assert.Equal(4, first.StepsCompleted);
        Assert.True(File.Exists(Path.Combine(dir, CausalLmTrainer.StateFile)));

        using var resumedModel = new LlamaForCausalLM(TinyModels.Config(), seed: 99);
        var second = new CausalLmTrainer().Train(resumedModel, Facts, options with { OutputDirectory = dir });
        Assert.True(second.Completed);
        Assert.False(File.Exists(Path.Combine(dir, CausalLmTrainer.StateFile)));
        foreach (var ((name, expected), (_, actual)) in straight.named_parameters().Zip(resumedModel.named_parameters()))
        {
            Assert.True(expected.allclose(actual, rtol: 1e-5, atol: 1e-6), $"{name} differs after resuming");
        }
    }

    [Fact]
    public void ScheduleWarmsUpThenDecaysToMinimum()
    {
        Assert.Equal(0.25, LearningRateSchedule.WarmupCosine(0, 100, 4, 1.0), 9);
        Assert.Equal(1.0, LearningRateSchedule.WarmupCosine(3, 100, 4, 1.0), 9);
        Assert.Equal(1.0, LearningRateSchedule.WarmupCosine(4, 100, 4, 1.0), 9);
        Assert.Equal(0.55, LearningRateSchedule.WarmupCosine(52, 100, 4, 1.0, 0.1), 9);
        Assert.Equal(0.1, LearningRateSchedule.WarmupCosine(100, 100, 4, 1.0, 0.1), 9);
    }

    [Fact]
    public void EpochOrderIsSeededPermutation()
    {
        var a = CausalLmTrainer.EpochOrder(10, 5, 0);
        Assert.Equal(a, CausalLmTrainer.EpochOrder(10, 5, 0));
        Assert.NotEqual(a, CausalLmTrainer.EpochOrder(10, 5, 1));
        Assert.Equal(Enumerable.Range(0, 10), a.Order());
    }

    [Fact]
    public void OptimiserRefusesFrozenParameters()
    {
        using var model = new LlamaForCausalLM(TinyModels.Config());
        foreach (var p in model.parameters())
        {
            p.requires_grad = false;
        }
        var e = Assert.Throws<ArgumentException>(() => new ParameterOptimiser(model.parameters(), new OptimiserSettings(), 10));
        Assert.Contains("no trainable parameters", e.Message);
    }
}
