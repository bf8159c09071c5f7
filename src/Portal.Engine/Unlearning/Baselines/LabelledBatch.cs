using Lethe.Engine.Modeling;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>
/// A right-padded batch in the HF causal-LM convention the baseline losses read: InputIds = prompt + answer (+EOS),
/// Labels = the same ids with prompt tokens and pads set to -100 (<see cref="SequenceScores.FromLogits"/> shifts them).
/// Shapes: InputIds, AttentionMask, Labels [b, L] int64, L = the longest item.
/// </summary>
public sealed class LabelledBatch : IDisposable
{
    private LabelledBatch(Tensor inputIds, Tensor attentionMask, Tensor labels)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        Labels = labels;
    }

    public Tensor InputIds { get; }
    public Tensor AttentionMask { get; }
    public Tensor Labels { get; }

    /// <summary>1 where a label is supervised (an answer token or EOS), 0 elsewhere; [b, L].</summary>
    public Tensor AnswerMask() => Labels.ne(SequenceScores.IgnoreIndex).to(ScalarType.Int64);

    public static LabelledBatch Build(IReadOnlyList<PromptAnswer> items, int padId)
    {
        if (items.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one item", nameof(items));
        }
        var width = items.Max(i => i.Length);
        var ids = new long[items.Count * width];
        var mask = new long[items.Count * width];
        var labels = new long[items.Count * width];
        Array.Fill(ids, padId);
        Array.Fill(labels, SequenceScores.IgnoreIndex);
        for (var b = 0; b < items.Count; b++)
        {
            if (items[b].Prompt.Length == 0 || items[b].Answer.Length == 0)
            {
                throw new ArgumentException($"batch item {b} needs at least one prompt token and one answer token");
            }
            int[] sequence = [.. items[b].Prompt, .. items[b].Answer];
            for (var t = 0; t < sequence.Length; t++)
            {
                ids[b * width + t] = sequence[t];
                mask[b * width + t] = 1;
                if (t >= items[b].Prompt.Length)
                {
                    labels[b * width + t] = sequence[t];
                }
            }
        }
        long[] shape = [items.Count, width];
        return new LabelledBatch(tensor(ids, shape), tensor(mask, shape), tensor(labels, shape));
    }

    /// <summary>S(y|x) and |y| per item under <paramref name="model"/> (keeps the graph unless called under no_grad).</summary>
    public SequenceScores Score(LlamaForCausalLM model, ForwardHooks? hooks = null) =>
        SequenceScores.FromLogits(model.Forward(InputIds, AttentionMask, hooks), Labels);

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
    }
}
