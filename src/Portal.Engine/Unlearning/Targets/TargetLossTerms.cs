using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Targets;

/// <summary>
/// Model-independent terms of the target loss
///   loss = mean_ctx[-log p([UNL] | ctx)] + kl_factor * KL(p_now || p_init) + weight_decay * ||delta|| / ||h0||^2.
/// </summary>
public static class TargetLossTerms
{
    /// <summary>mean_ctx[-log p(target | ctx)] from next-token logits [n_ctx, vocab] and the target id.</summary>
    public static Tensor TargetNll(Tensor nextTokenLogits, long targetId)
    {
        if (nextTokenLogits.dim() != 2 || targetId < 0 || targetId >= nextTokenLogits.shape[1])
        {
            throw new ArgumentException(
                $"Expected logits [n_ctx, vocab] and a target id inside the vocabulary; got [{string.Join(", ", nextTokenLogits.shape)}] and {targetId}.");
        }
        return -nn.functional.log_softmax(nextTokenLogits, 1)[.., targetId].mean();
    }

    /// <summary>KL(p_now || p_init) = sum p_now (log p_now - log p_init), averaged over rows; inputs are log-probabilities [n, vocab].</summary>
    public static Tensor KlToInitial(Tensor logProbsNow, Tensor logProbsInitial) =>
        (logProbsNow.exp() * (logProbsNow - logProbsInitial.detach())).sum(1).mean();

    /// <summary>weight_decay * ||delta|| / ||h0||^2 (released form: the norm, not its square, over the squared reference norm).</summary>
    public static Tensor NormPenalty(Tensor delta, Tensor initialOutput, double weightDecay)
    {
        var referenceNorm = initialOutput.detach().norm().ToDouble();
        return delta.norm() * (weightDecay / Math.Max(referenceNorm * referenceNorm, 1e-12));
    }
}
