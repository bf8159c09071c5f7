namespace Lethe.Engine.Text;

/// <summary>
/// Incremental pair statistics for BPE training: pair counts, the words each pair occurs in, and a max-heap with lazy
/// invalidation (an entry is used only if its count still equals the live count).
/// </summary>
internal sealed class PairMergeState
{
    private readonly List<(List<int> Symbols, long Count)> _words;
    private readonly List<string> _symbols;
    private readonly Dictionary<(int, int), long> _pairCounts = [];
    private readonly Dictionary<(int, int), HashSet<int>> _pairWords = [];
    private readonly PriorityQueue<(int Left, int Right), (long Count, string Left, string Right)> _heap;

    public PairMergeState(List<(List<int> Symbols, long Count)> words, List<string> symbols)
    {
        _words = words;
        _symbols = symbols;
        _heap = new PriorityQueue<(int, int), (long, string, string)>(Comparer<(long Count, string Left, string Right)>.Create(HigherCountFirst));
        for (var w = 0; w < words.Count; w++)
        {
            AddPairs(w, +1);
        }
        foreach (var (pair, count) in _pairCounts)
        {
            Push(pair, count);
        }
    }

    /// <summary>Learns up to <paramref name="budget"/> merges, appending each merged symbol to the symbol list.</summary>
    public List<(string Left, string Right)> LearnMerges(int budget)
    {
        var merges = new List<(string, string)>(budget);
        while (merges.Count < budget && _heap.TryDequeue(out var pair, out var priority))
        {
            if (!_pairCounts.TryGetValue(pair, out var live) || live != priority.Count) { continue; }
            if (live < 2) { break; }
            var mergedId = _symbols.Count;
            _symbols.Add(_symbols[pair.Left] + _symbols[pair.Right]);
            merges.Add((_symbols[pair.Left], _symbols[pair.Right]));
            ApplyMerge(pair, mergedId);
        }
        return merges;
    }

    private void ApplyMerge((int Left, int Right) pair, int mergedId)
    {
        var touched = new HashSet<(int, int)>();
        foreach (var w in _pairWords[pair].Order().ToList())
        {
            var symbols = _words[w].Symbols;
            if (!ContainsPair(symbols, pair)) { continue; }
            AddPairs(w, -1, touched);
            var merged = new List<int>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i + 1 < symbols.Count && symbols[i] == pair.Left && symbols[i + 1] == pair.Right)
                {
                    merged.Add(mergedId);
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }
            _words[w] = (merged, _words[w].Count);
            AddPairs(w, +1, touched);
        }
        foreach (var changed in touched)
        {
            if (_pairCounts.TryGetValue(changed, out var count) && count > 0) { Push(changed, count); }
        }
    }

    /// <summary>Adds (sign = +1) or removes (sign = -1) the word's adjacent pairs, weighted by its frequency.</summary>
    private void AddPairs(int w, int sign, HashSet<(int, int)>? touched = null)
    {
        var (symbols, count) = _words[w];
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            var pair = (symbols[i], symbols[i + 1]);
            _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + sign * count;
            if (sign > 0)
            {
                if (!_pairWords.TryGetValue(pair, out var set)) { _pairWords[pair] = set = []; }
                set.Add(w);
            }
            touched?.Add(pair);
        }
    }

    private static bool ContainsPair(List<int> symbols, (int Left, int Right) pair)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            if (symbols[i] == pair.Left && symbols[i + 1] == pair.Right) { return true; }
        }
        return false;
    }

    private void Push((int Left, int Right) pair, long count) =>
        _heap.Enqueue(pair, (count, _symbols[pair.Left], _symbols[pair.Right]));

    private static int HigherCountFirst((long Count, string Left, string Right) a, (long Count, string Left, string Right) b)
    {
        var byCount = b.Count.CompareTo(a.Count);
        if (byCount != 0) { return byCount; }
        var byLeft = string.CompareOrdinal(a.Left, b.Left);
        return byLeft != 0 ? byLeft : string.CompareOrdinal(a.Right, b.Right);
    }
}
