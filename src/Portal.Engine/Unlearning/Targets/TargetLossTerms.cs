using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Targets;

/// <summary>
/// Model-independent terms of the target loss
///   loss = mean_ctx[-log p([UNL] | ctx)] (+ continuation_weight * refusal NLL after [UNL]) + kl_factor * KL(p_now || p_init) + weight_decay * ||delta|| / ||h0||^2.
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

    /// <summary>
    /// mean over rows and steps of -log p(targets[j] | prefix) from log-probabilities [B, T, vocab], where row b's step j
    /// is read at position start[b] + j (teacher forcing: targets[j] is the token at start[b] + j + 1).
    /// </summary>
    public static Tensor SequenceNll(Tensor logProbs, IReadOnlyList<int> start, IReadOnlyList<long> targets)
    {
        if (logProbs.dim() != 3 || start.Count != logProbs.shape[0] || targets.Count == 0)
        {
            throw new ArgumentException("Expected log-probabilities [B, T, vocab], one start per row and at least one target.");
        }
        var rows = Enumerable.Range(0, start.Count).SelectMany(b => Enumerable.Repeat((long)b, targets.Count)).ToArray();
        var positions = start.SelectMany(s => Enumerable.Range(s, targets.Count).Select(p => (long)p)).ToArray();
        var tokens = Enumerable.Repeat(targets, start.Count).SelectMany(t => t).ToArray();
        using var rowIndex = tensor(rows);
        using var positionIndex = tensor(positions);
        using var tokenIndex = tensor(tokens);
        return -logProbs.index([TensorIndex.Tensor(rowIndex), TensorIndex.Tensor(positionIndex), TensorIndex.Tensor(tokenIndex)]).mean();
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
