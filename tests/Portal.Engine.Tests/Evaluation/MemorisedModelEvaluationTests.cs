using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Runner;
using Lethe.Engine.Modeling;
using Lethe.Engine.Text;
using Lethe.Engine.Training;

namespace Lethe.Engine.Tests.Evaluation;

/// <summary>A tiny model trained until it has memorised the small world's forget10 answers (and nothing else), plus a fresh twin.</summary>
public sealed class MemorisedTinyModelFixture : IDisposable
{
    public MemorisedTinyModelFixture()
    {
        World = new TinyEvaluationFixture();
        var config = World.Config with { HiddenSize = 64, IntermediateSize = 128 };
        var format = PromptFormat.Get("plain-qa");
        Memorised = new LanguageModel(new LlamaForCausalLM(config, seed: 5), World.Tokenizer, format);
        Fresh = new LanguageModel(new LlamaForCausalLM(config, seed: 6), World.Tokenizer, format);
        var forget = TofuSplits.LoadEvaluationSet(World.WorldDirectory, EvaluationSetNames.Forget);
        var examples = forget.Select(item => Memorised.Encode(new QaPair(item.Question, item.Answer))).ToList();
        Training = new CausalLmTrainer().Train(Memorised.Model, examples, new TrainingOptions
        {
            Epochs = 60,
            BatchSize = 4,
            Seed = 3,
            PadTokenId = World.Tokenizer.PadId,
            Optimiser = new OptimiserSettings { LearningRate = 1e-2, WarmupFraction = 0.05 },
        });
    }

    public TinyEvaluationFixture World { get; }
    public LanguageModel Memorised { get; }
    public LanguageModel Fresh { get; }
    public TrainingResult Training { get; }

    public void Dispose()
    {
        Memorised.Dispose();
        Fresh.Dispose();
        World.Dispose();
    }
}

public sealed class MemorisedModelEvaluationTests(MemorisedTinyModelFixture fixture) : IClassFixture<MemorisedTinyModelFixture>
{
    private static readonly EvaluationSpec Spec = EvaluationSpec.Demo with
    {
        Sets = [EvaluationSetNames.Forget, EvaluationSetNames.Retain, EvaluationSetNames.Holdout],
        MaxNewTokens = 48,
    };

    [Fact]
    public void MemorisedSetScoresHighAndTheRestLow()
    {
        var result = new EvaluationRunner().Run(fixture.Memorised, fixture.World.WorldDirectory, Spec);

        var forget = result.Set(EvaluationSetNames.Forget)!;
        Assert.True(fixture.Training.FinalLoss < 0.1, $"training loss {fixture.Training.FinalLoss}");
        Assert.True(forget.Probability > 0.9, $"forget probability {forget.Probability}");
        Assert.True(forget.RougeLRecall > 0.9, $"forget ROUGE-L {forget.RougeLRecall}");
        Assert.True(forget.ExactMemorization > 0.9, $"forget EM {forget.ExactMemorization}");
        Assert.True(forget.ExtractionStrength > 0.9, $"forget ES {forget.ExtractionStrength}");
        Assert.True(result.Summary.ForgetEfficacy < 0.1, $"FE {result.Summary.ForgetEfficacy}");
        // Retained people were never trained on: the memorised model knows no more about them than a fresh one.
        var retain = result.Set(EvaluationSetNames.Retain)!;
        Assert.True(retain.Probability < 0.5 * forget.Probability, $"retain probability {retain.Probability}");
        // Members (forget) have low Min-K% scores, non-members (holdout) high ones: the attack separates them.
        Assert.True(result.Summary.MinKAuc > 0.9, $"Min-K AUC {result.Summary.MinKAuc}");
    }

    [Fact]
    public void FreshModelOfTheSameConfigurationScoresNearZero()
    {
        var result = new EvaluationRunner().Run(fixture.Fresh, fixture.World.WorldDirectory, Spec with { MaxNewTokens = 16 });

        var forget = result.Set(EvaluationSetNames.Forget)!;
        Assert.True(forget.Probability < 0.02, $"forget probability {forget.Probability}");
        Assert.True(forget.RougeLRecall < 0.2, $"forget ROUGE-L {forget.RougeLRecall}");
        Assert.True(result.Summary.ForgetEfficacy > 0.8);
    }
}
