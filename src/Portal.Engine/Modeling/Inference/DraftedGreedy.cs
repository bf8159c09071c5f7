using static TorchSharp.torch;

namespace Lethe.Engine.Modeling.Inference;

/// <summary>
/// Greedy decoding that first checks a draft per prompt (what the answer is expected to be, e.g. the answer before an
/// edit): one teacher-forced forward pass over prompt + draft gives g_j = argmax p(. | prompt, draft_&lt;j) for
/// j = 0 .. |draft|; while g_j = draft_j the greedy path IS the draft, so the output is known exactly once the
/// <see cref="GreedyGenerator"/> rules (stop ids, <c>stopAfter</c>, <c>maxNewTokens</c>) end it on that path. Prompts
/// whose path leaves the draft before it ends are decoded token by token from there (draft_&lt;j + g_j is their start). The result equals
/// <see cref="GreedyGenerator.GenerateGreedy"/> (up to float rounding between batch layouts); a good draft costs one
/// forward pass instead of one per generated token. Both the checks and the decoding run in chunks of similar length.
/// </summary>
public static class DraftedGreedy
{
    private const int ChunkSize = 32;

    /// <summary>Greedy answers (as <see cref="GreedyGenerator.GenerateGreedy"/>) with drafts[i] checked first; empty drafts are decoded.</summary>
    public static int[][] Generate(
        LlamaForCausalLM model, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> drafts, int maxNewTokens,
        IReadOnlySet<int> stopTokenIds, int padId, Func<int[], int, bool>? stopAfter = null) =>
        Generate(model, prompts, drafts.Select(d => (IReadOnlyList<int[]>)[d]).ToList(), maxNewTokens, stopTokenIds, padId, stopAfter);

    /// <summary>
    /// Greedy answers with several drafts per prompt, checked in order (one pass per alternative, over the prompts no
    /// earlier draft decided); the prompts none decides are decoded.
    /// </summary>
    public static int[][] Generate(
        LlamaForCausalLM model, IReadOnlyList<int[]> prompts, IReadOnlyList<IReadOnlyList<int[]>> drafts, int maxNewTokens,
        IReadOnlySet<int> stopTokenIds, int padId, Func<int[], int, bool>? stopAfter = null)
    {
        if (drafts.Count != prompts.Count)
        {
            throw new ArgumentException($"{drafts.Count} draft lists for {prompts.Count} prompts", nameof(drafts));
        }
        var outputs = new int[]?[prompts.Count];
        var known = prompts.Select(_ => Array.Empty<int>()).ToArray(); // the longest start of each greedy answer a draft showed
        for (var alternative = 0; alternative < drafts.Max(d => d.Count as int?).GetValueOrDefault(); alternative++)
        {
            var open = Enumerable.Range(0, prompts.Count).Where(i => outputs[i] is null && drafts[i].Count > alternative).ToList();
            var walks = Walk(model, open.Select(i => prompts[i]).ToList(), open.Select(i => drafts[i][alternative]).ToList(), maxNewTokens, stopTokenIds, padId, stopAfter);
            for (var k = 0; k < open.Count; k++)
            {
                outputs[open[k]] = walks[k].Output;
                known[open[k]] = walks[k].Known.Length > known[open[k]].Length ? walks[k].Known : known[open[k]];
            }
        }
        // The rest is decoded from where its drafts left the greedy path (the tokens up to there are the answer's start).
        var undecided = Enumerable.Range(0, prompts.Count).Where(i => outputs[i] is null).ToList();
        foreach (var chunk in SortedChunks(undecided, i => prompts[i].Length + known[i].Length))
        {
            // One decoding loop per chunk; a row with a longer known start stops when the whole answer reaches maxNewTokens.
            var decoded = GreedyGenerator.GenerateGreedy(
                model, chunk.Select(i => (int[])[.. prompts[i], .. known[i]]).ToList(), maxNewTokens - chunk.Min(i => known[i].Length), stopTokenIds, padId,
                stopAfter: (tokens, row) => known[chunk[row]].Length + tokens.Length >= maxNewTokens
                    || (stopAfter?.Invoke([.. known[chunk[row]], .. tokens], row) ?? false));
            for (var k = 0; k < chunk.Length; k++)
            {
                outputs[chunk[k]] = [.. known[chunk[k]], .. decoded[k]];
            }
        }
        return outputs.Select(o => o!).ToArray();
    }

    /// <summary>Per prompt the exact greedy output when its draft decides it, else null.</summary>
    public static int[]?[] Confirm(
        LlamaForCausalLM model, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> drafts, int maxNewTokens,
        IReadOnlySet<int> stopTokenIds, int padId, Func<int[], int, bool>? stopAfter = null) =>
        Walk(model, prompts, drafts, maxNewTokens, stopTokenIds, padId, stopAfter).Select(walk => walk.Output).ToArray();

    /// <summary>The indices in chunks of <see cref="ChunkSize"/> of similar length (<see cref="LengthSortedBatches"/>: little padding).</summary>
    private static IEnumerable<int[]> SortedChunks(IReadOnlyList<int> indices, Func<int, int> length) =>
        LengthSortedBatches.Indices(indices.Select(length).ToList(), ChunkSize).Select(batch => batch.Select(k => indices[k]).ToArray());

    /// <summary>What one pass over prompt + draft shows: the whole greedy output (or null) and the start of it that is known.</summary>
    private readonly record struct DraftWalk(int[]? Output, int[] Known);

    private static DraftWalk[] Walk(
        LlamaForCausalLM model, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> drafts, int maxNewTokens,
        IReadOnlySet<int> stopTokenIds, int padId, Func<int[], int, bool>? stopAfter)
    {
        var walks = prompts.Select(_ => new DraftWalk(null, [])).ToArray();
        var checkable = Enumerable.Range(0, prompts.Count).Where(i => drafts[i].Length > 0 && prompts[i].Length > 0 && maxNewTokens > 0).ToList();
        using var noGrad = no_grad();
        foreach (var chunk in SortedChunks(checkable, i => prompts[i].Length + Math.Min(drafts[i].Length, maxNewTokens)))
        {
            // Drafts longer than maxNewTokens cannot be output past it; the argmax after the kept part decides nothing more.
            var kept = chunk.Select(i => drafts[i].Take(maxNewTokens).ToArray()).ToList();
            var predicted = ArgmaxAlong(model, chunk.Select((i, k) => (prompts[i], kept[k])).ToList(), padId);
            for (var k = 0; k < chunk.Length; k++)
            {
                walks[chunk[k]] = Follow(kept[k], predicted[k], chunk[k], maxNewTokens, stopTokenIds, stopAfter);
            }
        }
        return walks;
    }

    /// <summary>
    /// Walks the greedy rules along the draft: predicted[j] is the argmax after draft[..j]. The output is known when the
    /// rules end it while every accepted token so far equals the draft; otherwise the tokens accepted up to (and with) the
    /// first that leaves the draft are the answer's known start.
    /// </summary>
    private static DraftWalk Follow(int[] draft, long[] predicted, int row, int maxNewTokens, IReadOnlySet<int> stopTokenIds, Func<int[], int, bool>? stopAfter)
    {
        var output = new List<int>();
        for (var j = 0; j < predicted.Length; j++)
        {
            var token = (int)predicted[j];
            if (stopTokenIds.Contains(token))
            {
                return new DraftWalk([.. output], [.. output]);
            }
            output.Add(token);
            if (output.Count >= maxNewTokens || (stopAfter?.Invoke([.. output], row) ?? false))
            {
                return new DraftWalk([.. output], [.. output]);
            }
            if (j >= draft.Length || token != draft[j])
            {
                break; // the path leaves the draft (or outruns it) and has not ended
            }
        }
        return new DraftWalk(null, [.. output]);
    }

    /// <summary>For each (prompt, draft): the argmax token at positions |prompt| - 1 .. |prompt| + |draft| - 1 (|draft| + 1 values).</summary>
    private static List<long[]> ArgmaxAlong(LlamaForCausalLM model, IReadOnlyList<(int[] Prompt, int[] Draft)> items, int padId)
    {
        using var scope = NewDisposeScope();
        var width = items.Max(item => item.Prompt.Length + item.Draft.Length);
        var ids = new long[items.Count * width];
        var mask = new long[ids.Length];
        Array.Fill(ids, padId);
        for (var row = 0; row < items.Count; row++)
        {
            var sequence = items[row].Prompt.Concat(items[row].Draft).ToArray();
            for (var t = 0; t < sequence.Length; t++)
            {
                ids[row * width + t] = sequence[t];
                mask[row * width + t] = 1;
            }
        }
        // The head runs only where the answer is predicted: positions |prompt| - 1 .. |prompt| + |draft| - 1 of each row.
        var scored = items.SelectMany((item, row) => Enumerable.Range(row * width + item.Prompt.Length - 1, item.Draft.Length + 1).Select(p => (long)p)).ToArray();
        var hidden = model.Hidden(tensor(ids, [items.Count, width]), tensor(mask, [items.Count, width])).reshape(items.Count * width, -1).index_select(0, tensor(scored));
        var argmax = nn.functional.linear(hidden, model.OutputWeight).argmax(-1).data<long>().ToArray();
        var offset = 0;
        return items.Select(item =>
        {
            var predicted = argmax.AsSpan(offset, item.Draft.Length + 1).ToArray();
            offset += item.Draft.Length + 1;
            return predicted;
        }).ToList();
    }
}
