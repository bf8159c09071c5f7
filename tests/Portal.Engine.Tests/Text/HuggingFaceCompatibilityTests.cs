using System.Text.Json.Nodes;
using Lethe.Engine.Text;

namespace Lethe.Engine.Tests.Text;

/// <summary>
/// Our saved tokenizer.json files, read by HF's own Rust tokenizers library (Tokenizers.DotNet), give the same ids:
/// HF's post-processor prepends BOS, and HF parses special-token strings in text (which our Encode never does).
/// </summary>
public sealed class HuggingFaceCompatibilityTests
{
    private static readonly string[] Samples =
    [
        .. TokenizerFixtures.Corpus,
        "unseen words zyxwv 12345 ✓ don't we'll",
        "  multiple   spaces\t\ttabs\n\n\r\n end  ",
        "x",
    ];

    [Fact]
    public void Hf_tokenizers_encodes_and_decodes_our_saved_file_like_we_do()
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        var path = Path.Combine(dir.Path, "saved", "tokenizer.json");
        tokenizer.Save(path);

        AssertSameAsHf(tokenizer, path);
    }

    [Fact]
    public void Llama3_style_split_regex_pre_tokenizer_matches_hf()
    {
        using var dir = new TempDir();
        var saved = Path.Combine(dir.Path, "gpt2", "tokenizer.json");
        TokenizerFixtures.FreshTrained(dir).Save(saved);
        var root = JsonNode.Parse(File.ReadAllText(saved))!;
        root["pre_tokenizer"] = JsonNode.Parse($$"""
            {"type":"Sequence","pretokenizers":[
              {"type":"Split","pattern":{"Regex":{{JsonValue.Create(Llama3Pattern).ToJsonString()}}},"behavior":"Isolated","invert":false},
              {"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false}]}
            """);
        var llama3Dir = Path.Combine(dir.Path, "llama3");
        Directory.CreateDirectory(llama3Dir);
        var path = Path.Combine(llama3Dir, "tokenizer.json");
        File.WriteAllText(path, root.ToJsonString());

        var tokenizer = ByteLevelBpeTokenizer.Load(path);
        Assert.Equal(Llama3Pattern, tokenizer.PreTokenizer.Pattern);
        AssertSameAsHf(tokenizer, path);

        var resaved = Path.Combine(dir.Path, "resaved", "tokenizer.json");
        tokenizer.Save(resaved);
        Assert.Equal(Llama3Pattern, ByteLevelBpeTokenizer.Load(resaved).PreTokenizer.Pattern);
    }

    private const string Llama3Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static void AssertSameAsHf(ByteLevelBpeTokenizer tokenizer, string path)
    {
        using var hf = new Tokenizers.DotNet.Tokenizer(path);
        foreach (var text in Samples)
        {
            var ours = tokenizer.Encode(text);
            var theirs = hf.Encode(text).Select(id => (int)id).ToArray();
            int[] expected = tokenizer.BosId is { } bos ? [bos, .. ours] : ours;
            Assert.Equal(expected, theirs);
            Assert.Equal(text, hf.Decode(hf.Encode(text)));
        }
    }
}
