using System.Collections.Concurrent;
using System.Text;

namespace Lethe.Engine.Text;

/// <summary>
/// Byte-level BPE (GPT-2 / Llama-3 family): text -> pre-tokens (regex) -> UTF-8 bytes as byte symbols -> repeated
/// lowest-rank merges. Special tokens are only ever inserted by the engine: <see cref="Encode"/> treats their surface
/// strings as ordinary text and never returns a special id.
/// </summary>
public sealed class ByteLevelBpeTokenizer
{
    private const int MaxCachedWords = 200_000;

    private string[] _idToToken;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly IReadOnlyList<(string Left, string Right)> _merges;
    private readonly Dictionary<(int Left, int Right), (int Rank, int Merged)> _mergeRanks;
    private readonly List<AddedToken> _addedTokens;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly ConcurrentDictionary<string, int[]> _wordCache = new(StringComparer.Ordinal);
    private readonly SpecialTokenRoles _roles;

    internal ByteLevelBpeTokenizer(
        IReadOnlyDictionary<string, int> vocab,
        IReadOnlyList<(string Left, string Right)> merges,
        IEnumerable<AddedToken> addedTokens,
        PreTokenizer preTokenizer,
        bool ignoreMerges,
        SpecialTokenRoles roles,
        string source)
    {
        _tokenToId = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        _addedTokens = addedTokens.OrderBy(t => t.Id).ToList();
        _addedById = _addedTokens.ToDictionary(t => t.Id);
        var size = Math.Max(vocab.Count == 0 ? 0 : vocab.Values.Max() + 1, _addedTokens.Count == 0 ? 0 : _addedTokens[^1].Id + 1);
        _idToToken = new string[size];
        foreach (var (token, id) in vocab)
        {
            if (id < 0) { throw new FormatException($"{source}: vocabulary entry '{token}' has a negative id {id}."); }
            _idToToken[id] = token;
        }
        _merges = merges;
        _mergeRanks = BuildMergeRanks(merges, source);
        PreTokenizer = preTokenizer;
        IgnoreMerges = ignoreMerges;
        _roles = roles;
        BosId = roles.Bos is null ? null : RequireSpecial(roles.Bos, "bos", source);
        EosId = RequireSpecial(roles.Eos, "eos", source);
        PadId = RequireSpecial(roles.Pad, "pad", source);
    }

    public int VocabSize => _idToToken.Length;

    public int? BosId { get; }

    public int EosId { get; }

    public int PadId { get; }

    public PreTokenizer PreTokenizer { get; }

    /// <summary>HF `ignore_merges`: a pre-token that is itself a vocabulary entry becomes that one token.</summary>
    public bool IgnoreMerges { get; }

    public SpecialTokenRoles Roles => _roles;

    /// <summary>The BPE vocabulary proper (byte-level strings), without added tokens that are not in it.</summary>
    public IReadOnlyDictionary<string, int> Vocabulary => _tokenToId;

    public IReadOnlyList<(string Left, string Right)> Merges => _merges;

    public IReadOnlyList<AddedToken> AddedTokens => _addedTokens;

    public static ByteLevelBpeTokenizer Load(string tokenizerJsonPath) => TokenizerJsonReader.Read(tokenizerJsonPath);

    public void Save(string tokenizerJsonPath) => TokenizerJsonWriter.Write(this, tokenizerJsonPath);

    /// <summary>Text to ids. Never yields a special id: special tokens' surface strings encode as ordinary bytes.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        foreach (var word in PreTokenizer.SplitToByteLevelWords(text))
        {
            ids.AddRange(EncodeWord(word));
        }
        return ids.ToArray();
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var pendingBytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id < 0 || id >= VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the vocabulary (size {VocabSize}).");
            }
            if (_addedById.TryGetValue(id, out var added))
            {
                if (added.Special && skipSpecialTokens) { continue; }
                FlushUtf8(pendingBytes, text);
                text.Append(added.Content);
                continue;
            }
            var token = _idToToken[id] ?? throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is unused in this vocabulary.");
            foreach (var symbol in token)
            {
                if (!ByteLevelAlphabet.TryToByte(symbol, out var value))
                {
                    throw new InvalidOperationException($"Token {id} ('{token}') contains '{symbol}', which is not a byte-level symbol.");
                }
                pendingBytes.Add(value);
            }
        }
        FlushUtf8(pendingBytes, text);
        return text.ToString();
    }

    /// <summary>Appends a special token (id = current <see cref="VocabSize"/>); returns the existing id if already present.</summary>
    public int AddSpecialToken(string content)
    {
        ArgumentException.ThrowIfNullOrEmpty(content);
        if (SpecialTokenId(content) is { } existing) { return existing; }
        if (_addedTokens.Any(t => t.Content == content))
        {
            throw new InvalidOperationException($"'{content}' is already an added token that is not special.");
        }
        var id = VocabSize;
        Array.Resize(ref _idToToken, id + 1);
        var token = new AddedToken(id, content, Special: true);
        _addedTokens.Add(token);
        _addedById[id] = token;
        return id;
    }

    public int? SpecialTokenId(string content) =>
        _addedTokens.FirstOrDefault(t => t.Special && t.Content == content)?.Id;

    public bool IsSpecial(int id) => _addedById.TryGetValue(id, out var token) && token.Special;

    /// <summary>How many UTF-8 bytes token <paramref name="id"/> stands for (an added token: its content's bytes).</summary>
    public int TokenByteLength(int id)
    {
        if (_addedById.TryGetValue(id, out var added)) { return Encoding.UTF8.GetByteCount(added.Content); }
        if (id < 0 || id >= VocabSize || _idToToken[id] is null)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is outside the vocabulary (size {VocabSize}).");
        }
        return _idToToken[id].Length; // one byte-level symbol per byte
    }

    /// <summary>The surface string of a token id (added-token content, or the decoded bytes of a BPE token).</summary>
    public string TokenText(int id) => Decode([id], skipSpecialTokens: false);

    private int[] EncodeWord(string word)
    {
        if (_wordCache.TryGetValue(word, out var cached)) { return cached; }
        var ids = IgnoreMerges && _tokenToId.TryGetValue(word, out var whole) && !IsSpecial(whole)
            ? [whole]
            : ApplyMerges(word);
        if (_wordCache.Count >= MaxCachedWords) { _wordCache.Clear(); }
        _wordCache[word] = ids;
        return ids;
    }

    /// <summary>Standard BPE: repeatedly merge the adjacent pair with the lowest merge rank until none applies.</summary>
    private int[] ApplyMerges(string word)
    {
        var symbols = new List<int>(word.Length);
        foreach (var symbol in word)
        {
            if (!_tokenToId.TryGetValue(symbol.ToString(), out var id))
            {
                throw new InvalidOperationException($"Byte symbol '{symbol}' is missing from the vocabulary; the text cannot be encoded.");
            }
            symbols.Add(id);
        }
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            var bestMerged = -1;
            (int, int) bestPair = default;
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (_mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var merge) && merge.Rank < bestRank)
                {
                    bestRank = merge.Rank;
                    bestMerged = merge.Merged;
                    bestPair = (symbols[i], symbols[i + 1]);
                }
            }
            if (bestMerged < 0) { break; }
            var merged = new List<int>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i + 1 < symbols.Count && (symbols[i], symbols[i + 1]) == bestPair)
                {
                    merged.Add(bestMerged);
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }
            symbols = merged;
        }
        return symbols.ToArray();
    }

    private Dictionary<(int, int), (int, int)> BuildMergeRanks(IReadOnlyList<(string Left, string Right)> merges, string source)
    {
        var ranks = new Dictionary<(int, int), (int, int)>(merges.Count);
        var specialIds = _addedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!_tokenToId.TryGetValue(left, out var leftId) || !_tokenToId.TryGetValue(right, out var rightId)
                || !_tokenToId.TryGetValue(left + right, out var mergedId))
            {
                throw new FormatException($"{source}: merge #{rank} ('{left}' '{right}') uses a token missing from model.vocab.");
            }
            // A merge that would produce a special token's id is never applied: user text cannot become a special id.
            if (!specialIds.Contains(mergedId))
            {
                ranks.TryAdd((leftId, rightId), (rank, mergedId));
            }
        }
        return ranks;
    }

    private int RequireSpecial(string content, string role, string source)
    {
        var token = _addedTokens.FirstOrDefault(t => t.Content == content)
            ?? throw new FormatException($"{source}: the {role} token '{content}' is not among the added tokens.");
        if (!token.Special)
        {
            throw new FormatException($"{source}: the {role} token '{content}' is an added token but not marked special.");
        }
        return token.Id;
    }

    private static void FlushUtf8(List<byte> pendingBytes, StringBuilder text)
    {
        if (pendingBytes.Count == 0) { return; }
        text.Append(Encoding.UTF8.GetString(pendingBytes.ToArray()));
        pendingBytes.Clear();
    }
}
