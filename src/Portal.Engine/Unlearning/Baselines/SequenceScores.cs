using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>
/// Per-sequence quantities the baseline losses need: S(y|x) = sum_t log p(y_t | y_&lt;t, x) ([b], keeps grad) and |y| =
/// supervised token count ([b]). NLL = -sum_b S_b / sum_b |y|_b (token mean over the batch, as cross-entropy).
/// </summary>
public sealed record SequenceScores(Tensor LogLikelihood, Tensor TokenCount)
{
    public const long IgnoreIndex = -100;

    /// <summary>Mean token negative log-likelihood of the batch (scalar).</summary>
    public Tensor MeanNll() => -LogLikelihood.sum() / TokenCount.sum().clamp_min(1);

    /// <summary>S / |y| per sequence ([b]), the length-normalised log-likelihood SimNPO uses.</summary>
    public Tensor LengthNormalisedLogLikelihood() => LogLikelihood / TokenCount.clamp_min(1);

    /// <summary>
    /// From causal-LM logits [b, t, V] and labels [b, t] aligned with the inputs (HF convention, shifted here: the logits
    /// at t score label t+1); positions with label -100 are ignored.
    /// </summary>
    public static SequenceScores FromLogits(Tensor logits, Tensor labels)
    {
        if (logits.dim() != 3 || labels.dim() != 2 || logits.shape[0] != labels.shape[0] || logits.shape[1] != labels.shape[1])
        {
            throw new ArgumentException(
                $"Expected logits [b, t, V] and labels [b, t]; got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", labels.shape)}].");
        }
        var predicting = logits[.., ..^1, ..];          // [b, t-1, V]
        var targets = labels[.., 1..].to(ScalarType.Int64); // [b, t-1]
        var supervised = targets.ne(IgnoreIndex);
        // Ignored positions -> token 0 by a tensor product, not masked_fill(mask, 0): the temporary native Scalar of that
        // call was freed mid-call once (NPO on TOFU, step 120 of 250: "toLong ... Expected false to be true").
        var safeTargets = targets * supervised.to(ScalarType.Int64);
        var tokenLogProbs = nn.functional.log_softmax(predicting.to(ScalarType.Float32), 2)
            .gather(2, safeTargets.unsqueeze(2)).squeeze(2);  // [b, t-1]
        var mask = supervised.to(tokenLogProbs.dtype);
        return new SequenceScores((tokenLogProbs * mask).sum(1), mask.sum(1));
    }
}
