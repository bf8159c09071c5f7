using Lethe.Engine.Unlearning.Targets;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

public class TargetRowsOptimiserTests
{
    [Fact]
    public void RowsOptimisedTogetherMatchRowsOptimisedAlone()
    {
        // Three independent quadratics at different scales; the far goal hits the clamp and never converges.
        using var h0 = cat([UnlearningTensors.Normal(91, 1, 16), UnlearningTensors.Normal(92, 1, 16) * 40, UnlearningTensors.Normal(93, 1, 16) * 3], 0).to(ScalarType.Float32);
        using var goals = cat([UnlearningTensors.Normal(94, 1, 16) * 0.1, UnlearningTensors.Normal(95, 1, 16) * 4, h0[2..3] * 3], 0).to(ScalarType.Float32);
        using var squaredNorms = h0.pow(2).sum(1);
        var settings = new TargetOptimiserSettings { MaxSteps = 120, LossThreshold = 1e-3 };

        var evaluated = new List<int>();
        var together = TargetRowsOptimiser.Optimise((deltas, rows) =>
        {
            evaluated.Add(rows.Count);
            using var selected = tensor(rows.Select(r => (long)r).ToArray());
            var losses = ((deltas - goals).pow(2).sum(1) / squaredNorms).index_select(0, selected);
            return new RowObjectives(losses, rows.Select(r => r == 2 ? 1.0 : 0.0).ToArray(), new bool[rows.Count]);
        }, h0, settings);

        for (var r = 0; r < 3; r++)
        {
            var row = r;
            var alone = TargetValueOptimiser.Optimise(delta => (delta - goals[row]).pow(2).sum() / squaredNorms[row], h0[row], settings);
            Assert.Equal(alone.LossHistory.Count, together[r].LossHistory.Count);
            Assert.Equal(alone.Converged, together[r].Converged);
            using var difference = (alone.Delta - together[r].Delta).norm() / alone.Delta.norm().clamp_min(1e-12);
            Assert.True(difference.item<float>() < 1e-3, $"row {r}: relative difference {difference.item<float>()}");
            alone.Delta.Dispose();
        }
        Assert.True(together[0].LossHistory.Count < together[2].LossHistory.Count, "a converged row stops while others go on");
        Assert.Equal(3, evaluated[0]);
        Assert.Equal(1, evaluated[^1]); // stopped rows leave the evaluation
        Assert.True(together[2].Delta.norm().item<float>() <= 0.75 * h0[2].norm().item<float>() * (1 + 1e-5));
        foreach (var result in together)
        {
            result.Delta.Dispose();
        }
    }

    [Fact]
    public void ARowContentToStopStopsAtOnce()
    {
        using var h0 = ones(2, 8);
        var results = TargetRowsOptimiser.Optimise((deltas, rows) =>
        {
            using var selected = tensor(rows.Select(r => (long)r).ToArray());
            return new RowObjectives((deltas - 0.3f).pow(2).sum(1).index_select(0, selected), rows.Select(_ => 1.0).ToArray(), rows.Select(r => r == 0).ToArray());
        }, h0, new TargetOptimiserSettings { MaxSteps = 5 });

        Assert.Single(results[0].LossHistory);
        Assert.Equal(0, results[0].Delta.abs().sum().item<float>());
        Assert.Equal(5, results[1].LossHistory.Count);
        Assert.Throws<ArgumentException>(() => TargetRowsOptimiser.Optimise((d, _) => new RowObjectives(d.sum(1), [0], [false]), zeros(1, 4)));
    }
}
