using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Differentiable log-likelihoods of the supervised targets of a <see cref="TokenBatch"/>:
/// lp[b,t] = log softmax(logits[b,t])[target[b,t]] in fp32 (0 where the target is ignored), S[b] = sum_t lp[b,t].
/// S is the summed log-likelihood S(y|x) that NPO-style unlearning losses use.
/// </summary>
public static class TargetLogProbabilities
{
    /// <summary>logits [B,L,V], targets [B,L] (IgnoreIndex = not scored) -> [B,L].</summary>
    public static Tensor PerToken(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var supervised = targets.ne(TokenBatch.IgnoreIndex);
        var logProbs = logits.to(ScalarType.Float32).log_softmax(-1);
        var picked = logProbs.gather(-1, targets.clamp_min(0).unsqueeze(-1)).squeeze(-1);
        return picked.masked_fill(supervised.logical_not(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>Summed log-likelihood of each item's supervised tokens, [B] (differentiable when grad is enabled).</summary>
    public static Tensor Summed(LlamaForCausalLM model, TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var logits = model.Forward(batch.InputIds, batch.AttentionMask);
        return PerToken(logits, batch.Targets).sum(1).MoveToOuterDisposeScope();
    }
}
