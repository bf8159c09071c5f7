using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Targets;

/// <summary>
/// One evaluation of a batched objective over the rows still being optimised (in the order given): their losses ([k];
/// row r's loss may depend on delta row r only), the values their convergence is judged on, and whether each is content
/// to stop although above the threshold.
/// </summary>
public sealed record RowObjectives(Tensor Losses, double[] ConvergenceValues, bool[] GoodEnough);

/// <summary>
/// <see cref="TargetValueOptimiser"/> for n independent targets at once (one forward pass per step for all of them):
/// delta_r = ||h0_r|| u_r with Adam on u at lr = rel_lr, so row r moves ~rel_lr ||h0_r|| per step as if optimised alone
/// (Adam's step does not depend on the gradient's scale); row r stops -- its delta frozen -- at the evaluation where its
/// own rule stops it (loss &lt; threshold, content, or the last step), and later evaluations leave it out; after each step
/// ||u_r|| &lt;= clamp. initialOutputs: h0 rows [n, d]; the objective gets all deltas [n, d] and the rows still optimised;
/// returns one result per row.
/// </summary>
public static class TargetRowsOptimiser
{
    public static IReadOnlyList<TargetOptimisationResult> Optimise(
        Func<Tensor, IReadOnlyList<int>, RowObjectives> objectiveOfDeltas, Tensor initialOutputs, TargetOptimiserSettings? settings = null)
    {
        var schedule = settings ?? new TargetOptimiserSettings();
        schedule.Validate();
        if (initialOutputs.dim() != 2 || initialOutputs.shape[0] == 0)
        {
            throw new ArgumentException("h0 must be rows [n, d] with n >= 1.", nameof(initialOutputs));
        }
        var rows = (int)initialOutputs.shape[0];
        using var scales = initialOutputs.detach().to(ScalarType.Float32).norm(1, keepdim: true); // [n, 1]
        if (!(scales.min().item<float>() > 0))
        {
            throw new ArgumentException("A row of h0 has zero (or non-finite) norm; the learning rate and clamp are relative to it.", nameof(initialOutputs));
        }
        var unit = nn.Parameter(zeros_like(initialOutputs, dtype: ScalarType.Float32));
        using var optimiser = optim.Adam([unit], lr: schedule.RelativeLearningRate);
        var histories = Enumerable.Range(0, rows).Select(_ => new List<double>()).ToArray();
        var converged = new bool[rows];
        var active = Enumerable.Repeat(true, rows).ToArray();
        for (var step = 0; step < schedule.MaxSteps && active.Any(a => a); step++)
        {
            using var scope = NewDisposeScope();
            optimiser.zero_grad();
            var optimised = Enumerable.Range(0, rows).Where(r => active[r]).ToList();
            var objective = objectiveOfDeltas(unit * scales, optimised);
            var values = objective.Losses.detach().to(ScalarType.Float64).data<double>().ToArray();
            for (var j = 0; j < optimised.Count; j++)
            {
                var r = optimised[j];
                histories[r].Add(values[j]);
                converged[r] = objective.ConvergenceValues[j] < (schedule.ConvergenceThreshold ?? schedule.LossThreshold);
                active[r] = !(values[j] < schedule.LossThreshold || objective.GoodEnough[j] || step == schedule.MaxSteps - 1);
            }
            if (!active.Any(a => a))
            {
                break;
            }
            (objective.Losses * tensor(optimised.Select(r => active[r] ? 1f : 0f).ToArray())).sum().backward();
            var stillActive = tensor(active.Select(a => a ? 1f : 0f).ToArray(), [rows, 1]);
            var before = unit.detach().clone();
            optimiser.step();
            using var _ = no_grad();
            unit.copy_(where(stillActive > 0, unit, before)); // stopped rows keep their delta
            var norms = unit.norm(1, keepdim: true);
            unit.mul_((schedule.ClampFactor / norms.clamp_min(1e-30)).clamp_max(1.0));
        }
        using var deltas = unit.detach() * scales;
        var results = Enumerable.Range(0, rows)
            .Select(r => new TargetOptimisationResult(deltas[r].clone(), histories[r], converged[r]))
            .ToList();
        unit.Dispose();
        return results;
    }
}
