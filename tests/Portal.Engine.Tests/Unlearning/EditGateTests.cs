using Lethe.Engine.Unlearning.Diagnostics;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

public class EditGateTests
{
    private static readonly TargetOutcome[] Converged = [new("q1", 0.01, true), new("q2", 0.03, true)];

    [Fact]
    public void SeparableKeysPass()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector();
        var layers = new[] { 2, 3 }
            .Select(layer => KeyDiagnostics.ForLayer(layer, fixture.ForgetKeys, fixture.PreservedKeys, projector.Projector))
            .ToList();

        var decision = EditGate.Evaluate(layers, Converged);

        Assert.True(decision.Passed, decision.ToString());
        Assert.Empty(decision.Reasons);
    }

    [Fact]
    public void IndistinguishableKeysFailWithLayersCosineAndSuggestion()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector();
        using var noise = UnlearningTensors.Normal(71, 6, NullSpaceFixture.KeyDimension) * 0.01;
        using var entangledForget = fixture.PreservedKeys[..6] + noise; // forget keys ~ retained keys
        var layers = new[] { 2, 3 }
            .Select(layer => KeyDiagnostics.ForLayer(layer, entangledForget, fixture.PreservedKeys, projector.Projector))
            .ToList();

        var decision = EditGate.Evaluate(layers, Converged);

        Assert.False(decision.Passed);
        Assert.Contains(decision.Reasons, reason => reason.Contains("indistinguishable") && reason.Contains("layers 2-3") && reason.Contains("cosine 1.00"));
        Assert.Contains("prompt-last", decision.Suggestion);
        Assert.Contains("later layer window", decision.Suggestion);
    }

    [Fact]
    public void UnconvergedTargetsAndOversizedUpdatesFail()
    {
        var layer = new LayerKeyDiagnostics(5, 0.7, 0.8, 0.6, 0.01) { RelativeUpdateNorm = 0.9 };
        TargetOutcome[] targets = [new("q1", 0.01, true), new("q7", 2.5, false)];

        var decision = EditGate.Evaluate([layer], targets);

        Assert.False(decision.Passed);
        Assert.Contains(decision.Reasons, reason => reason.Contains("1 of 2 targets did not converge") && reason.Contains("q7"));
        Assert.Contains(decision.Reasons, reason => reason.Contains("0.90 x the weight norm at layers 5"));
        Assert.Contains("increase lambda", decision.Suggestion);
    }

    [Fact]
    public void ThresholdsAreConfigurable()
    {
        var layer = new LayerKeyDiagnostics(1, 0.9, 0.95, 0.5, 0.05);

        Assert.True(EditGate.Evaluate([layer], Converged).Passed);
        var strict = EditGate.Evaluate([layer], Converged, new GateThresholds { MaxForgetRetainedCosineMean = 0.85 });
        Assert.False(strict.Passed);
        Assert.Contains("layers 1", strict.Reasons[0]);
    }

    [Fact]
    public void LayerRangesAreReadable()
    {
        Assert.Equal("2-4", EditGate.LayerRange([Layer(2), Layer(3), Layer(4)]));
        Assert.Equal("2, 5", EditGate.LayerRange([Layer(5), Layer(2)]));
        Assert.Throws<ArgumentException>(() => EditGate.Evaluate([], Converged));
    }

    private static LayerKeyDiagnostics Layer(int index) => new(index, 0.5, 0.5, 0.5, 0.0);
}
