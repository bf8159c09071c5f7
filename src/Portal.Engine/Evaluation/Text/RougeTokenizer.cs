using System.Text;

namespace Lethe.Engine.Evaluation.Text;

/// <summary>
/// rouge_score's default tokenizer with <c>use_stemmer=True</c>:
/// <c>text.lower()</c>; <c>re.sub("[^a-z0-9]+", " ")</c>; <c>re.split(r"\s+")</c>; Porter-stem tokens longer than
/// 3 characters; keep tokens matching <c>^[a-z0-9]+$</c>.
/// Python's full Unicode lower-casing only yields ASCII letters from A–Z, U+212A KELVIN SIGN (→ k) and U+0130
/// (→ "i" + U+0307, whose combining dot then becomes a separator); every other character is a separator.
/// </summary>
public sealed class RougeTokenizer(bool useStemmer = true)
{
    private readonly PorterStemmer? _stemmer = useStemmer ? new PorterStemmer() : null;

    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalised = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            normalised.Append(c switch
            {
                >= 'a' and <= 'z' or >= '0' and <= '9' => c,
                >= 'A' and <= 'Z' => (char)(c + ('a' - 'A')),
                '\u212A' => 'k',
                '\u0130' => 'i',
                _ => ' ',
            });
            if (c == '\u0130')
            {
                normalised.Append(' ');
            }
        }
        var tokens = new List<string>();
        foreach (var raw in normalised.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            tokens.Add(_stemmer is not null && raw.Length > 3 ? _stemmer.Stem(raw) : raw);
        }
        return tokens;
    }
}
