using System.Text.RegularExpressions;
using Lethe.Engine.Text;
using MlBpeOptions = Microsoft.ML.Tokenizers.BpeOptions;
using MlBpeTokenizer = Microsoft.ML.Tokenizers.BpeTokenizer;
using MlRegexPreTokenizer = Microsoft.ML.Tokenizers.RegexPreTokenizer;

namespace Lethe.Engine.Tests.Text;

/// <summary>Our encoder gives the same ids as Microsoft.ML.Tokenizers' byte-level BPE on the same vocab and merges.</summary>
public sealed class MicrosoftMlTokenizersAgreementTests
{
    [Fact]
    public void Encodings_match_microsoft_ml_tokenizers_byte_level_bpe()
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        var reference = MlBpeTokenizer.Create(new MlBpeOptions(tokenizer.Vocabulary)
        {
            Merges = tokenizer.Merges.Select(m => $"{m.Left} {m.Right}"),
            ByteLevel = true,
            PreTokenizer = new MlRegexPreTokenizer(new Regex(PreTokenizer.Gpt2Pattern), specialTokens: null),
        });

        foreach (var text in TokenizerFixtures.Corpus.Concat(["  spaces   and\n\nnewlines\t", "unseen: zyxwv 98765 ✓"]))
        {
            var expected = reference.EncodeToIds(text).ToArray();
            Assert.Equal(expected, tokenizer.Encode(text));
            Assert.Equal(text, reference.Decode(expected));
        }
    }
}
