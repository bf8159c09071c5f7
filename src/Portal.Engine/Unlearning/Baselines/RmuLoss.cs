using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>
/// RMU (Li et al., WMDP): at one middle layer push forget-token activations toward a fixed random direction c u and keep
/// retain-token activations where the frozen model had them:
///   loss = gamma * mse(h_f, c u) + alpha * mse(h_r, h_r_frozen),
/// mse = ||a - b||^2 / d averaged over the unmasked tokens of each sequence, then over the batch (open-unlearning).
/// </summary>
public static class RmuLoss
{
    /// <summary>c * u / ||u|| with u ~ U[0, 1)^d drawn from a seeded generator ([d_model], fp32).</summary>
    public static Tensor ControlVector(long modelDimension, double steeringCoefficient, long seed)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        using var direction = rand([modelDimension], generator: generator);
        return direction / direction.norm() * steeringCoefficient;
    }

    /// <summary>Activations [b, t, d]; masks [b, t] (1 = token counts); control [d].</summary>
    public static Tensor Compute(
        Tensor forgetActivations, Tensor forgetMask, Tensor control,
        Tensor retainActivations, Tensor retainFrozenActivations, Tensor retainMask, BaselineHyperparameters settings)
    {
        BaselineLosses.RequireSameBatch(retainActivations, retainFrozenActivations, "frozen retain activations");
        var forgetLoss = MaskedMeanSquaredError(forgetActivations, control.expand_as(forgetActivations), forgetMask);
        var retainLoss = MaskedMeanSquaredError(retainActivations, retainFrozenActivations.detach(), retainMask);
        return forgetLoss * settings.Gamma + retainLoss * settings.Alpha;
    }

    /// <summary>mean_b [ sum_t m_bt mean_d (a - b)^2 / sum_t m_bt ].</summary>
    private static Tensor MaskedMeanSquaredError(Tensor actual, Tensor target, Tensor mask)
    {
        if (actual.dim() != 3 || mask.dim() != 2 || actual.shape[0] != mask.shape[0] || actual.shape[1] != mask.shape[1])
        {
            throw new ArgumentException(
                $"Expected activations [b, t, d] and mask [b, t]; got [{string.Join(", ", actual.shape)}] and [{string.Join(", ", mask.shape)}].");
        }
        var weights = mask.to(actual.dtype);
        var perToken = (actual - target).pow(2).mean([2L]);  // [b, t]
        return ((perToken * weights).sum(1) / weights.sum(1).clamp_min(1)).mean();
    }
}
