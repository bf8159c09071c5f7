using Lethe.Engine.Unlearning.Targets;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

public class TargetValueOptimiserTests
{
    [Fact]
    public void ConvergesOnAQuadraticAndStopsEarly()
    {
        using var h0 = UnlearningTensors.Normal(81, 16).to(ScalarType.Float32);
        using var goal = UnlearningTensors.Normal(82, 16).to(ScalarType.Float32) * 0.1; // well inside the clamp
        var settings = new TargetOptimiserSettings { MaxSteps = 300 };

        var result = TargetValueOptimiser.Optimise(delta => (delta - goal).pow(2).sum(), h0, settings);

        Assert.True(result.Converged, $"final loss {result.FinalLoss} after {result.LossHistory.Count} evaluations");
        Assert.True(result.FinalLoss < settings.LossThreshold);
        Assert.True(result.LossHistory.Count < settings.MaxSteps);
        Assert.True(result.LossHistory[0] > result.FinalLoss);
        Assert.Equal(h0.shape, result.Delta.shape);
        result.Delta.Dispose();
    }

    [Fact]
    public void DeltaNeverExceedsTheClamp()
    {
        using var h0 = UnlearningTensors.Normal(83, 16).to(ScalarType.Float32);
        using var farGoal = h0 * 3;  // ||goal|| = 3 ||h0|| > 0.75 ||h0||
        var maxNorm = 0.75 * h0.norm().item<float>();
        var settings = new TargetOptimiserSettings { MaxSteps = 200 };

        var result = TargetValueOptimiser.Optimise(delta => (delta - farGoal).pow(2).sum(), h0, settings);

        Assert.False(result.Converged);
        Assert.Equal(settings.MaxSteps, result.LossHistory.Count);
        Assert.True(result.Delta.norm().item<float>() <= maxNorm * (1 + 1e-5));
        using var cosine = nn.functional.cosine_similarity(result.Delta, farGoal, 0);
        Assert.True(cosine.item<float>() > 0.9, $"cosine {cosine.item<float>()}");
        result.Delta.Dispose();
    }

    [Fact]
    public void LearningRateScalesWithTheHiddenStateNorm()
    {
        using var h0 = UnlearningTensors.Normal(84, 16).to(ScalarType.Float32);
        using var goal = UnlearningTensors.Normal(85, 16).to(ScalarType.Float32) * 0.2;
        using var bigH0 = h0 * 50;
        using var bigGoal = goal * 50;
        var settings = new TargetOptimiserSettings { MaxSteps = 300 };

        // The same problem at 50x the scale (loss measured relative to ||h0||^2) needs the same number of steps.
        var small = TargetValueOptimiser.Optimise(delta => (delta - goal).pow(2).sum() / h0.pow(2).sum(), h0, settings);
        var big = TargetValueOptimiser.Optimise(delta => (delta - bigGoal).pow(2).sum() / bigH0.pow(2).sum(), bigH0, settings);

        Assert.True(small.Converged && big.Converged);
        Assert.InRange(big.LossHistory.Count, small.LossHistory.Count - 1, small.LossHistory.Count + 1);
        small.Delta.Dispose();
        big.Delta.Dispose();
    }

    [Fact]
    public void ZeroReferenceAndBadSettingsAreRejected()
    {
        using var zero = zeros(4);
        Assert.Contains("zero", Assert.Throws<ArgumentException>(() => TargetValueOptimiser.Optimise(d => d.sum(), zero)).Message);
        using var h0 = ones(4);
        Assert.Throws<ArgumentException>(() => TargetValueOptimiser.Optimise(d => d.sum(), h0, new TargetOptimiserSettings { MaxSteps = 0 }));
    }

    [Fact]
    public void ConvergenceIsJudgedOnTheTargetTermWhileTheAuxiliaryTermKeepsTheLossUp()
    {
        using var h0 = UnlearningTensors.Normal(87, 16).to(ScalarType.Float32);
        using var goal = UnlearningTensors.Normal(88, 16).to(ScalarType.Float32) * 0.1;
        var settings = new TargetOptimiserSettings { MaxSteps = 300 };

        // loss = target term + a constant 1 that never falls below the threshold: the optimiser runs every step, and
        // "converged" follows the target term alone.
        var result = TargetValueOptimiser.Optimise(delta =>
        {
            var target = (delta - goal).pow(2).sum();
            return new TargetObjective(target + 1, target.item<float>());
        }, h0, settings);

        Assert.True(result.Converged, $"final loss {result.FinalLoss}");
        Assert.Equal(settings.MaxSteps, result.LossHistory.Count);
        Assert.InRange(result.FinalLoss, 1, 1 + settings.LossThreshold);
        result.Delta.Dispose();
    }

    [Fact]
    public void SequenceNllReadsEachRowFromItsOwnStart()
    {
        // Row 0 starts at position 1, row 1 at position 0; targets [2, 0]. Logits put all mass where the test says.
        var logits = full(2, 4, 3, -20f);
        logits[0, 1, 2] = 20f; // row 0, step 0 -> token 2: ~certain
        logits[0, 2, 0] = 20f; // row 0, step 1 -> token 0: ~certain
        // row 1: uniform at positions 0 and 1 -> log 3 each
        logits[1, 0] = zeros(3);
        logits[1, 1] = zeros(3);
        using var logProbs = nn.functional.log_softmax(logits, 2);

        using var nll = TargetLossTerms.SequenceNll(logProbs, [1, 0], [2L, 0L]);

        Assert.Equal(Math.Log(3) / 2, nll.item<float>(), 4); // (0 + 0 + log 3 + log 3) / 4
        Assert.Throws<ArgumentException>(() => TargetLossTerms.SequenceNll(logProbs, [0], [1L]));
        logits.Dispose();
    }

    [Fact]
    public void LossTermsHaveTheirClosedFormValues()
    {
        using var logits = tensor(new float[] { 0, 0, 0, 0, 0, 0, 0, 0 }, 2, 4);
        using var nll = TargetLossTerms.TargetNll(logits, 3);
        Assert.Equal(Math.Log(4), nll.item<float>(), 5);

        using var logProbs = nn.functional.log_softmax(UnlearningTensors.Normal(86, 3, 5), 1);
        using var kl = TargetLossTerms.KlToInitial(logProbs, logProbs);
        Assert.Equal(0, kl.item<double>(), 10);

        using var delta = tensor(new float[] { 3, 4 });
        using var h0 = tensor(new float[] { 0, 2 });
        using var penalty = TargetLossTerms.NormPenalty(delta, h0, 0.5);
        Assert.Equal(0.5 * 5 / 4, penalty.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => TargetLossTerms.TargetNll(logits, 4));
    }
}
