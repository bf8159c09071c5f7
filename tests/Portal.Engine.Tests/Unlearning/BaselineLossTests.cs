using Lethe.Engine.Unlearning.Baselines;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

/// <summary>Each loss, minimised by one gradient step on toy logits, moves the quantity it targets the expected way.</summary>
public class BaselineLossTests
{
    private static readonly long[] Labels = [-100, 1, 3, 2, -100, 4, 0, -100];

    [Fact]
    public void ScoresSumSupervisedShiftedLogProbabilities()
    {
        using var logits = zeros(2, 4, 5);
        using var labels = tensor(Labels, 2, 4);

        var scores = SequenceScores.FromLogits(logits, labels);

        Assert.Equal([3f, 2f], scores.TokenCount.data<float>().ToArray());
        Assert.Equal(-3 * Math.Log(5), scores.LogLikelihood[0].item<float>(), 4);
        Assert.Equal(Math.Log(5), scores.MeanNll().item<float>(), 4);
        Assert.Contains("[b, t, V]", Assert.Throws<ArgumentException>(() => SequenceScores.FromLogits(zeros(2, 4), labels)).Message);
    }

    [Fact]
    public void GradAscentRaisesForgetNll()
    {
        var forget = ToyLogits(1);
        var (before, after) = Step([forget], () => BaselineLosses.GradAscent(Scores(forget)), () => Scores(forget).MeanNll());
        Assert.True(after > before, $"NLL_f {before} -> {after}");
    }

    [Fact]
    public void GradDiffRaisesForgetNllAndLowersRetainNll()
    {
        var forget = ToyLogits(2);
        var retain = ToyLogits(3);
        var settings = BaselineHyperparameters.DefaultsFor(BaselineMethod.GradDiff);
        Tensor Loss() => BaselineLosses.GradDiff(Scores(forget), Scores(retain), settings);

        var (forgetBefore, forgetAfter) = Step([forget, retain], Loss, () => Scores(forget).MeanNll(), () => Scores(retain).MeanNll(), out var retainChange);

        Assert.True(forgetAfter > forgetBefore);
        Assert.True(retainChange.After < retainChange.Before);
    }

    [Fact]
    public void NpoLowersForgetLikelihoodBelowTheReference()
    {
        var forget = ToyLogits(4);
        var retain = ToyLogits(5);
        using var reference = Scores(forget).LogLikelihood.detach().clone();
        var settings = BaselineHyperparameters.DefaultsFor(BaselineMethod.Npo);
        Tensor Loss() => BaselineLosses.Npo(Scores(forget), reference, Scores(retain), settings);

        var (before, after) = Step([forget, retain], Loss, () => Scores(forget).LogLikelihood.sum());

        Assert.True(after < before, $"S_theta {before} -> {after}");
        Assert.Contains("reference", Assert.Throws<ArgumentException>(() => BaselineLosses.Npo(Scores(forget), zeros(3), Scores(retain), settings)).Message);
    }

    [Fact]
    public void SimNpoRaisesForgetNll()
    {
        var forget = ToyLogits(6);
        var retain = ToyLogits(7);
        var settings = BaselineHyperparameters.DefaultsFor(BaselineMethod.SimNpo);
        var (before, after) = Step([forget, retain], () => BaselineLosses.SimNpo(Scores(forget), Scores(retain), settings), () => Scores(forget).MeanNll());
        Assert.True(after > before);
    }

    [Fact]
    public void IdkNllLowersRefusalNll()
    {
        var refusal = ToyLogits(8);
        var retain = ToyLogits(9);
        var settings = BaselineHyperparameters.DefaultsFor(BaselineMethod.IdkNll);
        var (before, after) = Step([refusal, retain], () => BaselineLosses.IdkNll(Scores(refusal), Scores(retain), settings), () => Scores(refusal).MeanNll());
        Assert.True(after < before);
    }

    [Fact]
    public void RmuPullsForgetActivationsToTheControlAndRetainToFrozen()
    {
        var forget = nn.Parameter(UnlearningTensors.Normal(10, 2, 3, 8).to(ScalarType.Float32));
        using var frozen = UnlearningTensors.Normal(11, 2, 3, 8).to(ScalarType.Float32);
        var retain = nn.Parameter(frozen + 0.5f);
        using var mask = ones(2, 3);
        using var control = RmuLoss.ControlVector(8, 2.0, seed: 3);
        var settings = BaselineHyperparameters.DefaultsFor(BaselineMethod.Rmu);
        Tensor Loss() => RmuLoss.Compute(forget, mask, control, retain, frozen, mask, settings);

        var (before, after) = Step([forget, retain], Loss, () => (forget - control).pow(2).mean(), () => (retain - frozen).pow(2).mean(), out var retainChange);

        Assert.Equal(2.0, control.norm().item<float>(), 5);
        Assert.True(after < before);
        Assert.True(retainChange.After < retainChange.Before);
    }

    private static Parameter ToyLogits(long seed) => nn.Parameter(UnlearningTensors.Normal(seed, 2, 4, 5).to(ScalarType.Float32));

    private static SequenceScores Scores(Tensor logits) => SequenceScores.FromLogits(logits, tensor(Labels, 2, 4));

    private static (double Before, double After) Step(Parameter[] parameters, Func<Tensor> loss, Func<Tensor> watched) =>
        Step(parameters, loss, watched, watched, out _);

    /// <summary>One SGD step (lr 0.5) on the loss; returns a watched quantity before and after (and a second one).</summary>
    private static (double Before, double After) Step(
        Parameter[] parameters, Func<Tensor> loss, Func<Tensor> watched, Func<Tensor> secondWatched, out (double Before, double After) second)
    {
        double Value(Func<Tensor> quantity)
        {
            using var _ = no_grad();
            return quantity().ToDouble();
        }
        var before = Value(watched);
        var secondBefore = Value(secondWatched);
        loss().backward();
        using (no_grad())
        {
            foreach (var parameter in parameters)
            {
                parameter.sub_(parameter.grad! * 0.5);
            }
        }
        second = (secondBefore, Value(secondWatched));
        return (before, Value(watched));
    }
}
