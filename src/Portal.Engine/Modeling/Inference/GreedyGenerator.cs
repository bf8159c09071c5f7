using static TorchSharp.torch;

namespace Lethe.Engine.Modeling.Inference;

/// <summary>
/// Batched greedy decoding with left padding: next token = argmax of the last position's logits; prompts are
/// left-padded so every row's last prompt token sits in the final column; position ids come from the mask.
/// </summary>
public static class GreedyGenerator
{
    /// <summary>
    /// Generates up to <paramref name="maxNewTokens"/> tokens per prompt. A row stops at any id in
    /// <paramref name="stopTokenIds"/> (not returned) or when <paramref name="stopAfter"/>(tokens so far, row index)
    /// returns true (tokens kept). <paramref name="minNewTokens"/> forbids the stop ids for the first steps.
    /// </summary>
    public static int[][] GenerateGreedy(
        LlamaForCausalLM model,
        IReadOnlyList<int[]> prompts,
        int maxNewTokens,
        IReadOnlySet<int> stopTokenIds,
        int padId,
        bool useCache = true,
        Func<int[], int, bool>? stopAfter = null,
        int minNewTokens = 0)
    {
        if (prompts.Any(p => p.Length == 0))
        {
            throw new ArgumentException("every prompt needs at least one token", nameof(prompts));
        }
        var rows = prompts.Count;
        var outputs = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        if (rows == 0 || maxNewTokens <= 0)
        {
            return outputs.Select(o => o.ToArray()).ToArray();
        }
        var sequences = LeftPad(prompts, padId, out var mask);
        var finished = new bool[rows];
        using var noGrad = no_grad();
        using var cache = useCache ? new KvCache(model.LayerCount) : null;
        using var stopIds = tensor(stopTokenIds.Select(i => (long)i).ToArray());
        for (var step = 0; step < maxNewTokens && !finished.All(f => f); step++)
        {
            using var scope = NewDisposeScope();
            var fedColumns = cache is null || step == 0 ? sequences[0].Count : 1;
            var input = Columns(sequences, fedColumns);
            var attention = Columns(mask, mask[0].Count);
            var lastLogits = nn.functional.linear(model.Hidden(input, attention, cache: cache).select(1, -1), model.OutputWeight); // [B,V]: the head at the last position only
            if (step < minNewTokens && stopTokenIds.Count > 0)
            {
                lastLogits = lastLogits.index_fill(1, stopIds, float.NegativeInfinity);
            }
            var next = lastLogits.argmax(-1).data<long>().ToArray();
            for (var b = 0; b < rows; b++)
            {
                var token = finished[b] ? padId : (int)next[b];
                if (!finished[b])
                {
                    finished[b] = AcceptToken(outputs[b], token, b, stopTokenIds, stopAfter, maxNewTokens);
                }
                sequences[b].Add(token);
                mask[b].Add(1);
            }
        }
        return outputs.Select(o => o.ToArray()).ToArray();
    }

    /// <summary>Appends the token unless it is a stop id; returns true when the row is finished.</summary>
    private static bool AcceptToken(List<int> output, int token, int row, IReadOnlySet<int> stopTokenIds,
        Func<int[], int, bool>? stopAfter, int maxNewTokens)
    {
        if (stopTokenIds.Contains(token))
        {
            return true;
        }
        output.Add(token);
        return output.Count >= maxNewTokens || (stopAfter?.Invoke(output.ToArray(), row) ?? false);
    }

    private static List<long>[] LeftPad(IReadOnlyList<int[]> prompts, int padId, out List<long>[] mask)
    {
        var width = prompts.Max(p => p.Length);
        mask = prompts.Select(p => Enumerable.Repeat(0L, width - p.Length).Concat(p.Select(_ => 1L)).ToList()).ToArray();
        return prompts.Select(p => Enumerable.Repeat((long)padId, width - p.Length).Concat(p.Select(t => (long)t)).ToList()).ToArray();
    }

    /// <summary>The last <paramref name="count"/> columns of equal-length rows as a [B,count] int64 tensor.</summary>
    private static Tensor Columns(List<long>[] rows, int count)
    {
        var width = rows[0].Count;
        var data = rows.SelectMany(r => r.Skip(width - count)).ToArray();
        return tensor(data, [rows.Length, count]);
    }
}
