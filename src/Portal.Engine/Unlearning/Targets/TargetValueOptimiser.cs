using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Targets;

/// <summary>Result of optimising delta: z = h0 + delta, the loss after every evaluation, and whether it converged.</summary>
public sealed record TargetOptimisationResult(Tensor Delta, IReadOnlyList<double> LossHistory, bool Converged)
{
    public double FinalLoss => LossHistory[^1];
}

/// <summary>
/// One evaluation of the objective: the loss to minimise and the value convergence is judged on (the target term alone
/// when the loss carries auxiliary terms that need not reach the threshold) and whether the caller is content to stop
/// here although the loss is still above the threshold.
/// </summary>
public readonly record struct TargetObjective(Tensor Loss, double ConvergenceValue, bool GoodEnough = false);

/// <summary>
/// Adam on delta (init 0, same shape as h0) with lr = rel_lr * ||h0||: evaluate loss(delta); stop if loss &lt; threshold
/// or at the last step; otherwise step and clip ||delta|| &lt;= clamp * ||h0||. Model-independent: the caller's loss
/// function adds delta to the layer output and runs the model. With a <see cref="TargetObjective"/> the loss history
/// and the stop rule use the loss, and "converged" means the convergence value ended below the threshold.
/// </summary>
public static class TargetValueOptimiser
{
    public static TargetOptimisationResult Optimise(
        Func<Tensor, Tensor> lossOfDelta, Tensor initialOutput, TargetOptimiserSettings? settings = null) =>
        Optimise(delta =>
        {
            var loss = lossOfDelta(delta);
            return new TargetObjective(loss, loss.ToDouble());
        }, initialOutput, settings);

    public static TargetOptimisationResult Optimise(
        Func<Tensor, TargetObjective> objectiveOfDelta, Tensor initialOutput, TargetOptimiserSettings? settings = null)
    {
        var schedule = settings ?? new TargetOptimiserSettings();
        schedule.Validate();
        var referenceNorm = initialOutput.detach().to(ScalarType.Float64).norm().item<double>();
        if (!(referenceNorm > 0))
        {
            throw new ArgumentException("h0 has zero (or non-finite) norm; the learning rate and clamp are relative to it.", nameof(initialOutput));
        }
        var maxNorm = schedule.ClampFactor * referenceNorm;
        var delta = nn.Parameter(zeros_like(initialOutput, dtype: ScalarType.Float32));
        using var optimiser = optim.Adam([delta], lr: schedule.RelativeLearningRate * referenceNorm);
        var history = new List<double>();
        var converged = false;
        for (var step = 0; step < schedule.MaxSteps; step++)
        {
            using var scope = NewDisposeScope();
            optimiser.zero_grad();
            var (loss, convergenceValue, goodEnough) = objectiveOfDelta(delta);
            var value = loss.ToDouble();
            history.Add(value);
            converged = convergenceValue < (schedule.ConvergenceThreshold ?? schedule.LossThreshold);
            if (value < schedule.LossThreshold || goodEnough || step == schedule.MaxSteps - 1)
            {
                break;
            }
            loss.backward();
            optimiser.step();
            ClampNorm(delta, maxNorm);
        }
        var result = delta.detach().clone();
        delta.Dispose();
        return new TargetOptimisationResult(result, history, converged);
    }

    /// <summary>delta *= maxNorm / ||delta|| when ||delta|| &gt; maxNorm (in place, outside autograd).</summary>
    private static void ClampNorm(Tensor delta, double maxNorm)
    {
        using var _ = no_grad();
        var norm = delta.norm().ToDouble();
        if (norm > maxNorm)
        {
            delta.mul_(maxNorm / norm);
        }
    }
}
