using Lethe.Engine.Text;

namespace Lethe.Engine.Tests.Text;

public sealed class ByteLevelBpeTrainerTests
{
    private static IEnumerable<string> Corpus => Enumerable.Repeat(TokenizerFixtures.Corpus, 10).SelectMany(x => x);

    [Fact]
    public void Training_twice_gives_byte_identical_files()
    {
        using var dir = new TempDir();
        var first = Path.Combine(dir.Path, "a", "tokenizer.json");
        var second = Path.Combine(dir.Path, "b", "tokenizer.json");

        ByteLevelBpeTrainer.Train(Corpus, 350, TokenizerFixtures.Specials).Save(first);
        ByteLevelBpeTrainer.Train(Corpus, 350, TokenizerFixtures.Specials).Save(second);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void More_merges_mean_fewer_tokens_per_character()
    {
        var text = string.Join("\n", TokenizerFixtures.Corpus);
        double TokensPerChar(int vocab) =>
            (double)ByteLevelBpeTrainer.Train(Corpus, vocab, TokenizerFixtures.Specials).Encode(text).Length / text.Length;

        var bytesOnly = TokensPerChar(260);
        var small = TokensPerChar(300);
        var larger = TokensPerChar(400);

        Assert.True(bytesOnly > small && small > larger, $"tokens/char {bytesOnly:F3} -> {small:F3} -> {larger:F3}");
        Assert.True(larger < 0.5, $"tokens/char {larger:F3}");
    }

    [Fact]
    public void Vocabulary_layout_is_bytes_then_merges_then_specials()
    {
        var tokenizer = ByteLevelBpeTrainer.Train(Corpus, 300, TokenizerFixtures.Specials);

        Assert.Equal(300, tokenizer.VocabSize);
        Assert.Equal(296, tokenizer.SpecialTokenId("<s>"));
        Assert.Equal(299, tokenizer.SpecialTokenId("<|unl|>"));
        Assert.Equal(40, tokenizer.Merges.Count);
        Assert.Equal(ByteLevelAlphabet.Symbols[(byte)'a'].ToString(), tokenizer.Vocabulary.Single(p => p.Value == 'a').Key);
    }

    [Fact]
    public void Stops_when_no_pair_repeats_and_rejects_impossible_sizes()
    {
        var tiny = ByteLevelBpeTrainer.Train(["abab"], 1000, ["</s>"]);
        Assert.Single(tiny.Merges);
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteLevelBpeTrainer.Train(Corpus, 100, TokenizerFixtures.Specials));
        Assert.Throws<FormatException>(() => ByteLevelBpeTrainer.Train(Corpus, 300, ["<x>"]));
    }

    [Fact]
    public void Trains_a_few_thousand_merges_on_megabytes_in_seconds()
    {
        var random = new Random(7);
        var words = Enumerable.Range(0, 3000).Select(_ => new string(Enumerable.Range(0, random.Next(3, 10))
            .Select(_ => (char)('a' + random.Next(26))).ToArray())).ToArray();
        var corpus = Enumerable.Range(0, 20_000).Select(_ => string.Join(' ', Enumerable.Range(0, 20).Select(_ => words[random.Next(words.Length)])));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var tokenizer = ByteLevelBpeTrainer.Train(corpus, 3000, TokenizerFixtures.Specials);

        Assert.Equal(3000, tokenizer.VocabSize);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"training took {watch.Elapsed}");
    }
}
