using Lethe.Engine.Unlearning.Edit;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

public class LayerEditStepTests
{
    /// <summary>
    /// Toy residual stream: H = sum_l W_l k_l with fixed keys per layer. Editing the N layers lowest-first with the spread
    /// residual reaches the targets Z, each layer carrying its share, while preserved keys keep their outputs.
    /// </summary>
    [Fact]
    public void SpreadEditOverThreeLayersReachesTheTargets()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector();
        int[] layers = [4, 5, 6];
        var weights = layers.Select((_, i) => UnlearningTensors.Normal(90 + i, 16, 32)).ToList();
        var keys = layers.Select((_, i) => fixture.ComplementKeys(5, 95 + i)).ToList();
        var originals = weights.Select(weight => weight.clone()).ToList();
        Tensor Output() => weights.Zip(keys, (weight, key) => key.matmul(weight.T)).Aggregate((sum, next) => sum + next);
        using var initial = Output();
        using var wanted = UnlearningTensors.Normal(99, 5, 16);
        using var targets = initial + wanted;

        var results = new List<LayerEditResult>();
        for (var i = 0; i < layers.Length; i++)
        {
            using var current = Output();
            results.Add(LayerEditStep.Apply(layers[i], i, layers.Length, weights[i], keys[i], targets, current, projector.Projector, null, 1e-6, ScalarType.Float64));
        }

        using var reached = Output();
        Assert.True(UnlearningTensors.RelativeError(reached, targets) < 1e-3);
        Assert.All(results, result => Assert.True(result.NormalEquationResidual < 1e-8));
        Assert.Equal(layers, results.Select(result => result.Layer));
        for (var i = 0; i < layers.Length; i++)
        {
            using var preservedBefore = fixture.PreservedKeys.matmul(originals[i].T);
            using var preservedAfter = fixture.PreservedKeys.matmul(weights[i].T);
            Assert.True(UnlearningTensors.RelativeError(preservedAfter, preservedBefore) < 1e-8);
        }
    }
}
