using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>Right-padded batch: InputIds, Labels (-100 on padding) and AttentionMask (1 = real token), all [b, t] int64.</summary>
public sealed record StageOneBatch(Tensor InputIds, Tensor Labels, Tensor AttentionMask) : IDisposable
{
    /// <summary>Pads every example to the longest (or to <paramref name="maxLength"/>, which must fit them all).</summary>
    public static StageOneBatch Collate(IReadOnlyList<StageOneExample> examples, long padId, int? maxLength = null)
    {
        if (examples.Count == 0)
        {
            throw new ArgumentException("Cannot collate an empty batch.", nameof(examples));
        }
        var longest = examples.Max(example => example.InputIds.Length);
        var length = maxLength ?? longest;
        if (longest > length)
        {
            throw new ArgumentException($"An example has {longest} tokens, more than the maximum length {length}.", nameof(maxLength));
        }
        var inputs = new long[examples.Count * length];
        var labels = new long[examples.Count * length];
        var mask = new long[examples.Count * length];
        for (var row = 0; row < examples.Count; row++)
        {
            var example = examples[row];
            for (var column = 0; column < length; column++)
            {
                var real = column < example.InputIds.Length;
                var at = row * length + column;
                inputs[at] = real ? example.InputIds[column] : padId;
                labels[at] = real ? example.Labels[column] : StageOneExample.IgnoreIndex;
                mask[at] = real ? 1 : 0;
            }
        }
        long[] shape = [examples.Count, length];
        return new StageOneBatch(tensor(inputs, shape), tensor(labels, shape), tensor(mask, shape));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        Labels.Dispose();
        AttentionMask.Dispose();
    }
}
