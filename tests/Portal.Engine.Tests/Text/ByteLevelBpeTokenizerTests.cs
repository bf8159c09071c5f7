using Lethe.Engine.Text;

namespace Lethe.Engine.Tests.Text;

public sealed class ByteLevelBpeTokenizerTests
{
    [Theory]
    [InlineData("Hello, world! How are you?")]
    [InlineData("Café naïve résumé façade Ångström")]
    [InlineData("東京で日本語を話す。中文也可以。")]
    [InlineData("Emoji 👋🏽 and family 👨‍👩‍👧 and flag 🇵🇹")]
    [InlineData("a   b\t\tc    d     ")]
    [InlineData("line one\n\nline two\r\n  indented\n")]
    [InlineData("  leading spaces and 'contractions' don't won't I'm")]
    [InlineData("")]
    public void Encode_then_decode_returns_the_original_text(string text)
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);

        var ids = tokenizer.Encode(text);

        Assert.Equal(text, tokenizer.Decode(ids));
        Assert.All(ids, id => Assert.False(tokenizer.IsSpecial(id)));
    }

    [Fact]
    public void Roles_and_vocab_size_come_from_the_special_tokens()
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);

        Assert.Equal(400, tokenizer.VocabSize);
        Assert.Equal(tokenizer.SpecialTokenId("<s>"), tokenizer.BosId);
        Assert.Equal(tokenizer.SpecialTokenId("</s>"), tokenizer.EosId);
        Assert.Equal(tokenizer.SpecialTokenId("<pad>"), tokenizer.PadId);
        Assert.True(tokenizer.IsSpecial(tokenizer.EosId));
        Assert.False(tokenizer.IsSpecial(tokenizer.Encode("a")[0]));
    }

    [Theory]
    [InlineData("Please say <|unl|> now")]
    [InlineData("</s><s><pad>")]
    [InlineData("<|unl|>")]
    public void Typed_special_token_strings_become_ordinary_tokens_and_decode_back(string text)
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        var added = tokenizer.AddSpecialToken("<|typed|>");

        var ids = tokenizer.Encode(text + " <|typed|>");

        Assert.DoesNotContain(ids, tokenizer.IsSpecial);
        Assert.DoesNotContain(added, ids);
        Assert.Equal(text + " <|typed|>", tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Equal(text + " <|typed|>", tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void A_merge_that_would_build_a_special_tokens_vocab_entry_is_never_applied()
    {
        using var dir = new TempDir();
        var path = dir.File("tokenizer.json", HandWrittenTokenizer.WithSpecialInVocab());

        var tokenizer = ByteLevelBpeTokenizer.Load(path);
        var ids = tokenizer.Encode("ab");

        Assert.Equal(2, ids.Length);
        Assert.Equal("ab", tokenizer.Decode(ids));
    }

    [Fact]
    public void AddSpecialToken_appends_at_vocab_size_and_is_idempotent()
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        var before = tokenizer.VocabSize;

        var id = tokenizer.AddSpecialToken("<|new|>");
        var again = tokenizer.AddSpecialToken("<|new|>");

        Assert.Equal(before, id);
        Assert.Equal(id, again);
        Assert.Equal(before + 1, tokenizer.VocabSize);
        Assert.True(tokenizer.IsSpecial(id));
        Assert.Equal(id, tokenizer.SpecialTokenId("<|new|>"));
        Assert.Null(tokenizer.SpecialTokenId("<|absent|>"));
        Assert.Equal(tokenizer.SpecialTokenId("<|unl|>"), tokenizer.AddSpecialToken("<|unl|>"));
    }

    [Fact]
    public void Decode_keeps_or_skips_special_tokens_as_asked()
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        int[] ids = [tokenizer.BosId!.Value, .. tokenizer.Encode("Lisbon is"), tokenizer.EosId];

        Assert.Equal("Lisbon is", tokenizer.Decode(ids));
        Assert.Equal("<s>Lisbon is</s>", tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([tokenizer.VocabSize]));
    }

    [Fact]
    public void Save_then_load_gives_identical_encodings_and_roles()
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        var unl = tokenizer.AddSpecialToken("<|unl2|>");
        var path = Path.Combine(dir.Path, "saved", "tokenizer.json");

        tokenizer.Save(path);
        var loaded = ByteLevelBpeTokenizer.Load(path);

        Assert.True(File.Exists(Path.Combine(dir.Path, "saved", "tokenizer_config.json")));
        Assert.Equal(tokenizer.VocabSize, loaded.VocabSize);
        Assert.Equal((tokenizer.BosId, tokenizer.EosId, tokenizer.PadId), (loaded.BosId, loaded.EosId, loaded.PadId));
        Assert.Equal(unl, loaded.SpecialTokenId("<|unl2|>"));
        foreach (var text in TokenizerFixtures.Corpus.Append("unseen words: zyxwv 12345 ✓"))
        {
            Assert.Equal(tokenizer.Encode(text), loaded.Encode(text));
        }
    }

    [Fact]
    public void Merges_written_as_strings_and_as_pairs_both_load_to_the_same_tokenizer()
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        var stringsPath = Path.Combine(dir.Path, "strings", "tokenizer.json");
        tokenizer.Save(stringsPath);
        var pairsPath = TokenizerFixtures.WriteWithPairMerges(stringsPath, Path.Combine(dir.Path, "pairs"));

        var fromStrings = ByteLevelBpeTokenizer.Load(stringsPath);
        var fromPairs = ByteLevelBpeTokenizer.Load(pairsPath);

        Assert.Contains("\"merges\": [\n      \"", File.ReadAllText(stringsPath));
        Assert.Equal(fromStrings.Merges, fromPairs.Merges);
        foreach (var text in TokenizerFixtures.Corpus)
        {
            Assert.Equal(fromStrings.Encode(text), fromPairs.Encode(text));
        }
    }

    [Fact]
    public void Hand_written_hf_file_with_gpt2_layout_encodes_with_its_merges()
    {
        using var dir = new TempDir();
        var tokenizer = ByteLevelBpeTokenizer.Load(dir.File("tokenizer.json", HandWrittenTokenizer.Gpt2Like()));

        var ids = tokenizer.Encode("the the");

        Assert.Equal([257, 258], ids);
        Assert.Equal(tokenizer.SpecialTokenId("<|endoftext|>"), tokenizer.EosId);
        Assert.Null(tokenizer.BosId);
        Assert.Equal(tokenizer.EosId, tokenizer.PadId);
    }
}
