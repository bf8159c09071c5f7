using System.Text;
using Lethe.Engine.Evaluation.Text;

namespace Lethe.Engine.Evaluation.Metrics;

/// <summary>
/// Decides whether a generation is a refusal: after normalisation (lower case, every run of non-alphanumerics →
/// one space, trimmed) it equals a known refusal sentence, or its ROUGE-L recall against some refusal sentence
/// (the refusal as reference) reaches <paramref name="rougeThreshold"/>.
/// </summary>
public sealed class RefusalDetector
{
    public const double DefaultRougeThreshold = 0.9;

    private readonly HashSet<string> _normalisedRefusals;
    private readonly List<IReadOnlyList<string>> _refusalTokens;
    private readonly RougeTokenizer _tokenizer = new(useStemmer: true);
    private readonly double _rougeThreshold;

    public RefusalDetector(IEnumerable<string> refusalSentences, double rougeThreshold = DefaultRougeThreshold)
    {
        var sentences = refusalSentences.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        if (sentences.Count == 0)
        {
            throw new ArgumentException("The refusal detector needs at least one refusal sentence.", nameof(refusalSentences));
        }
        if (rougeThreshold is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rougeThreshold), "The ROUGE threshold must lie in (0, 1].");
        }
        _rougeThreshold = rougeThreshold;
        _normalisedRefusals = sentences.Select(Normalise).ToHashSet(StringComparer.Ordinal);
        _refusalTokens = sentences.Select(_tokenizer.Tokenize).Where(t => t.Count > 0).ToList();
    }

    /// <summary>Reads refusal sentences from a file, one per line (the format of TOFU's idontknow.jsonl); blank lines are skipped.</summary>
    public static IReadOnlyList<string> LoadSentences(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Refusal sentence file not found: {path}", path);
        }
        return File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).ToList();
    }

    public bool IsRefusal(string generation)
    {
        ArgumentNullException.ThrowIfNull(generation);
        if (_normalisedRefusals.Contains(Normalise(generation)))
        {
            return true;
        }
        var generated = _tokenizer.Tokenize(generation);
        return _refusalTokens.Any(refusal => RougeScorer.LcsRecall(refusal, generated) >= _rougeThreshold);
    }

    /// <summary>Share of generations that are refusals (0 for an empty list).</summary>
    public double RefusalRate(IEnumerable<string> generations)
    {
        var list = generations.ToList();
        return list.Count == 0 ? 0 : (double)list.Count(IsRefusal) / list.Count;
    }

    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }
                builder.Append(c);
                pendingSpace = false;
            }
            else
            {
                pendingSpace = true;
            }
        }
        return builder.ToString();
    }
}
