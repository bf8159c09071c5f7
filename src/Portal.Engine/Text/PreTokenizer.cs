using System.Text.RegularExpressions;

namespace Lethe.Engine.Text;

/// <summary>Splits text into the words BPE works inside (GPT-2's regex unless a tokenizer.json names another one).</summary>
public sealed class PreTokenizer
{
    /// <summary>GPT-2's pre-tokenization pattern (contractions, letter runs, digit runs, punctuation runs, spaces).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly Regex _regex;

    public PreTokenizer(string pattern, bool addPrefixSpace)
    {
        Pattern = pattern;
        AddPrefixSpace = addPrefixSpace;
        _regex = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    public string Pattern { get; }

    public bool AddPrefixSpace { get; }

    public bool IsGpt2Pattern => Pattern == Gpt2Pattern;

    public static PreTokenizer Gpt2 { get; } = new(Gpt2Pattern, addPrefixSpace: false);

    /// <summary>The pre-tokens of <paramref name="text"/>, each already in byte-level symbols.</summary>
    public IEnumerable<string> SplitToByteLevelWords(string text)
    {
        if (AddPrefixSpace && text.Length > 0 && !char.IsWhiteSpace(text[0]))
        {
            text = " " + text;
        }
        for (var match = _regex.Match(text); match.Success; match = match.NextMatch())
        {
            yield return ByteLevelAlphabet.Encode(match.Value);
        }
    }
}
