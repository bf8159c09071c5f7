using System.Text.Json.Nodes;
using Lethe.Engine.Text;

namespace Lethe.Engine.Tests.Text;

public sealed class MalformedTokenizerFileTests
{
    [Fact]
    public void Invalid_json_names_the_file_and_line()
    {
        using var dir = new TempDir();
        var path = dir.File("tokenizer.json", "{\n  \"model\": {\n    \"type\": \"BPE\",,\n  }\n}");

        var error = Assert.Throws<FormatException>(() => ByteLevelBpeTokenizer.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ByteLevelBpeTokenizer.Load("/nonexistent/tokenizer.json"));
        Assert.Contains("/nonexistent/tokenizer.json", error.Message);
    }

    [Theory]
    [InlineData("model", "'model' is missing")]
    [InlineData("model.type", "only 'BPE' is supported")]
    [InlineData("merges.bad", "model.merges[1]")]
    [InlineData("merges.unknown", "merge #1")]
    [InlineData("vocab.string", "model.vocab['a']")]
    [InlineData("eos", "no end-of-sequence token")]
    [InlineData("pre_tokenizer", "pre_tokenizer is missing")]
    public void Structural_errors_say_what_is_wrong_and_where(string defect, string expected)
    {
        using var dir = new TempDir();
        var root = HandWrittenTokenizer.Build(["t h", "th e"], [new AddedToken(258, "</s>", true)]);
        Apply(root, defect);
        var path = dir.File("tokenizer.json", root.ToJsonString());

        var error = Assert.Throws<FormatException>(() => ByteLevelBpeTokenizer.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    private static void Apply(JsonObject root, string defect)
    {
        var model = root["model"]!.AsObject();
        switch (defect)
        {
            case "model": root.Remove("model"); break;
            case "model.type": model["type"] = "WordPiece"; break;
            case "merges.bad": model["merges"]!.AsArray()[1] = "th e x"; break;
            case "merges.unknown": model["merges"]!.AsArray()[1] = "q z"; break;
            case "vocab.string": model["vocab"]!["a"] = "ninety-seven"; break;
            case "eos": root["added_tokens"]!.AsArray()[0]!["content"] = "<|not-eos|>"; break;
            case "pre_tokenizer": root.Remove("pre_tokenizer"); break;
        }
    }
}
