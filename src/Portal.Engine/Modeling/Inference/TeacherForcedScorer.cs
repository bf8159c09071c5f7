using static TorchSharp.torch;

namespace Lethe.Engine.Modeling.Inference;

/// <summary>
/// Per-item scores of an answer given its prompt: log p(a_t | prompt, a_&lt;t) for every answer token
/// (log-softmax in fp32 over logits shifted by one), summed loss = -sum log p, mean loss = summed / count.
/// </summary>
public sealed record AnswerScore(double SummedLoss, double MeanLoss, int TokenCount, float[] TokenLogProbs, bool[] TokenIsArgmax);

/// <summary>Batched teacher-forced scoring (right padding); the prompt is never scored.</summary>
public static class TeacherForcedScorer
{
    public static IReadOnlyList<AnswerScore> Score(LlamaForCausalLM model, IReadOnlyList<PromptAnswer> items, int padId, int batchSize = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var results = new List<AnswerScore>(items.Count);
        using var noGrad = no_grad();
        foreach (var chunk in items.Chunk(batchSize))
        {
            results.AddRange(ScoreBatch(model, chunk, padId));
        }
        return results;
    }

    private static IEnumerable<AnswerScore> ScoreBatch(LlamaForCausalLM model, IReadOnlyList<PromptAnswer> items, int padId)
    {
        using var scope = NewDisposeScope();
        using var batch = TokenBatch.Build(items, padId);
        var logits = model.Forward(batch.InputIds, batch.AttentionMask);                   // [B,L,V]
        var targetLogProbs = TargetLogProbabilities.PerToken(logits, batch.Targets);      // [B,L]
        var isArgmax = logits.argmax(-1).eq(batch.Targets);                              // [B,L]
        var width = (int)batch.InputIds.shape[1];
        var lp = targetLogProbs.data<float>().ToArray();
        var hit = isArgmax.data<bool>().ToArray();
        for (var b = 0; b < items.Count; b++)
        {
            // The answer's tokens are predicted at positions promptLength-1 .. promptLength+answerLength-2.
            var start = b * width + items[b].Prompt.Length - 1;
            var count = items[b].Answer.Length;
            var tokenLogProbs = lp.AsSpan(start, count).ToArray();
            var summed = -tokenLogProbs.Sum(v => (double)v);
            yield return new AnswerScore(summed, summed / count, count, tokenLogProbs, hit.AsSpan(start, count).ToArray());
        }
    }
}
