namespace Lethe.Engine.Unlearning.Targets;

/// <summary>
/// Schedule of the target-value optimisation (released UniErase/AlphaEdit constants except the learning rate).
/// Learning rate: lr = RelativeLearningRate * ||h0||. The released fixed lr 0.1 only suits hidden states of norm ~10;
/// at norms 50-90 (small models) it could not reach [UNL] (FEASIBILITY). Adam moves every coordinate by ~lr per step,
/// so 0.01 * ||h0|| reproduces the released 0.1 at ||h0|| = 10 and scales with the residual stream otherwise.
/// </summary>
public sealed record TargetOptimiserSettings
{
    public double RelativeLearningRate { get; init; } = 0.01;

    /// <summary>Loss evaluations at most (released 10-25); the last one is not followed by an update.</summary>
    public int MaxSteps { get; init; } = 25;

    /// <summary>Stop as soon as the loss falls below this (released 0.05).</summary>
    public double LossThreshold { get; init; } = 0.05;

    /// <summary>
    /// A target counts as converged when its convergence value ends below this (null = <see cref="LossThreshold"/>, the
    /// released rule). Stopping still waits for <see cref="LossThreshold"/>.
    /// </summary>
    public double? ConvergenceThreshold { get; init; }

    /// <summary>After each step ||delta|| is clipped to ClampFactor * ||h0|| (released 0.75).</summary>
    public double ClampFactor { get; init; } = 0.75;

    /// <summary>Weight of KL(p_now || p_init) on the "{subject} is a" prompt (released 0.0625).</summary>
    public double KlFactor { get; init; } = 0.0625;

    /// <summary>Weight of the norm penalty ||delta|| / ||h0||^2 (released 0.5).</summary>
    public double WeightDecay { get; init; } = 0.5;

    /// <summary>
    /// Weight of the refusal continuation: mean -log p(refusal token | ctx, [UNL], earlier refusal tokens) under the same
    /// delta (0 = the released objective, [UNL] alone). Ours: the delta at the key position also steers what follows
    /// [UNL] through attention, so the edited model does not put [UNL] first and then answer anyway.
    /// </summary>
    public double ContinuationWeight { get; init; } = 1.0;

    /// <summary>Stop early once the [UNL] term is below <see cref="LossThreshold"/> and the refusal's mean NLL below this.</summary>
    public double ContinuationThreshold { get; init; } = 0.1;

    public void Validate()
    {
        if (RelativeLearningRate <= 0 || MaxSteps <= 0 || LossThreshold < 0 || ClampFactor <= 0 || KlFactor < 0 || WeightDecay < 0
            || ContinuationWeight < 0 || ContinuationThreshold < 0 || ConvergenceThreshold < 0)
        {
            throw new ArgumentException(
                $"Invalid target optimiser settings: {this} (learning rate, steps and clamp must be positive; the rest non-negative).");
        }
    }
}
