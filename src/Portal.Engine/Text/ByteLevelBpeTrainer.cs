namespace Lethe.Engine.Text;

/// <summary>
/// Learns a byte-level BPE vocabulary: start from the 256 byte symbols, then repeatedly merge the adjacent symbol pair
/// with the highest frequency summed over pre-tokenized words (count(pair) = sum_w freq(w) * occurrences(pair, w)).
/// Ties break on the pair's symbol strings (ordinal), so training is deterministic. Vocabulary layout:
/// ids 0..255 bytes, then merges in learned order, then the special tokens.
/// </summary>
public static class ByteLevelBpeTrainer
{
    private const int ByteSymbolCount = 256;

    /// <summary>
    /// Trains on <paramref name="corpus"/>; <paramref name="vocabSize"/> counts bytes, merges and special tokens.
    /// Stops early when no pair occurs at least twice. The special tokens must include an EOS (e.g. "&lt;/s&gt;").
    /// </summary>
    public static ByteLevelBpeTokenizer Train(IEnumerable<string> corpus, int vocabSize, IReadOnlyList<string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(specialTokens);
        if (specialTokens.Distinct().Count() != specialTokens.Count)
        {
            throw new ArgumentException("Special tokens must be distinct.", nameof(specialTokens));
        }
        var mergeBudget = vocabSize - ByteSymbolCount - specialTokens.Count;
        if (mergeBudget < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize,
                $"The vocabulary needs at least {ByteSymbolCount + specialTokens.Count} entries (256 bytes + {specialTokens.Count} special tokens).");
        }
        var roles = SpecialTokenRoles.Infer(specialTokens.ToList(), null, null, null, "BPE trainer");

        var symbols = ByteLevelAlphabet.Symbols.Select(c => c.ToString()).ToList();
        var words = CountWords(corpus);
        var merges = new PairMergeState(words, symbols).LearnMerges(mergeBudget);

        var vocab = symbols.Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id, StringComparer.Ordinal);
        var added = specialTokens.Select((content, i) => new AddedToken(symbols.Count + i, content, Special: true));
        return new ByteLevelBpeTokenizer(vocab, merges, added, PreTokenizer.Gpt2, ignoreMerges: false, roles, "BPE trainer");
    }

    /// <summary>Distinct pre-tokenized words (as byte symbol ids) with their corpus frequency, in first-seen order.</summary>
    private static List<(List<int> Symbols, long Count)> CountWords(IEnumerable<string> corpus)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<(List<int>, long)>();
        foreach (var document in corpus)
        {
            foreach (var word in PreTokenizer.Gpt2.SplitToByteLevelWords(document))
            {
                if (counts.TryGetValue(word, out var index))
                {
                    words[index] = (words[index].Item1, words[index].Item2 + 1);
                    continue;
                }
                counts[word] = words.Count;
                var ids = new List<int>(word.Length);
                foreach (var symbol in word)
                {
                    ByteLevelAlphabet.TryToByte(symbol, out var value);
                    ids.Add(value);
                }
                words.Add((ids, 1));
            }
        }
        return words;
    }
}
