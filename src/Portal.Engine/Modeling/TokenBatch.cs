using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// A right-padded teacher-forcing batch: for item sequence s = prompt + answer (length L), the input is s[0..L-2]
/// and target[t] = s[t+1]; targets are <see cref="IgnoreIndex"/> at pads and (unless the prompt is supervised)
/// wherever s[t+1] is a prompt token. Shapes: InputIds/AttentionMask/Targets [B, maxL-1].
/// </summary>
public sealed class TokenBatch : IDisposable
{
    public const long IgnoreIndex = -100;

    private TokenBatch(Tensor inputIds, Tensor attentionMask, Tensor targets, int supervisedTokens)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        Targets = targets;
        SupervisedTokens = supervisedTokens;
    }

    public Tensor InputIds { get; }
    public Tensor AttentionMask { get; }
    public Tensor Targets { get; }
    public int SupervisedTokens { get; }

    public static TokenBatch Build(IReadOnlyList<PromptAnswer> items, int padId, bool supervisePrompt = false)
    {
        if (items.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one item", nameof(items));
        }
        foreach (var item in items)
        {
            if (item.Prompt.Length == 0 || item.Answer.Length == 0)
            {
                throw new ArgumentException("every item needs at least one prompt token (e.g. BOS) and one answer token");
            }
        }
        var width = items.Max(i => i.Length) - 1;
        var ids = new long[items.Count * width];
        var mask = new long[items.Count * width];
        var targets = new long[items.Count * width];
        Array.Fill(ids, padId);
        Array.Fill(targets, IgnoreIndex);
        var supervised = 0;
        for (var b = 0; b < items.Count; b++)
        {
            int[] sequence = [.. items[b].Prompt, .. items[b].Answer];
            var firstSupervised = supervisePrompt ? 1 : items[b].Prompt.Length;
            for (var t = 0; t < sequence.Length - 1; t++)
            {
                ids[b * width + t] = sequence[t];
                mask[b * width + t] = 1;
                if (t + 1 >= firstSupervised)
                {
                    targets[b * width + t] = sequence[t + 1];
                    supervised++;
                }
            }
        }
        long[] shape = [items.Count, width];
        return new TokenBatch(tensor(ids, shape), tensor(mask, shape), tensor(targets, shape), supervised);
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Targets.Dispose();
    }
}
