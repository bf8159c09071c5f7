using System.Text.Json.Nodes;
using Lethe.Engine.Text;

namespace Lethe.Engine.Tests.Text;

/// <summary>Small tokenizers and HF-format files for tokenizer tests.</summary>
internal static class TokenizerFixtures
{
    public static readonly string[] Specials = ["<s>", "</s>", "<pad>", "<|unl|>"];

    public static readonly string[] Corpus =
    [
        "Question: Where was Mira Talven born?\nAnswer: Lisbon is where Mira Talven was born.",
        "Question: What does Oren Vask do for a living?\nAnswer: Glassblowing is what Oren Vask does.",
        "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs.",
        "Café, naïve, résumé, façade. 東京で日本語を話す。 Emoji: 👋🏽 👨‍👩‍👧",
        "In 1987, on a Tuesday, the theatre opened its doors to 2,400 people.",
    ];

    private static readonly Lazy<ByteLevelBpeTokenizer> Trained =
        new(() => ByteLevelBpeTrainer.Train(Enumerable.Repeat(Corpus, 20).SelectMany(x => x), 400, Specials));

    /// <summary>A fresh copy (Load of a saved file) so tests may add tokens without affecting each other.</summary>
    public static ByteLevelBpeTokenizer FreshTrained(TempDir dir)
    {
        var path = Path.Combine(dir.Path, "base", "tokenizer.json");
        Trained.Value.Save(path);
        return ByteLevelBpeTokenizer.Load(path);
    }

    /// <summary>Writes a saved tokenizer.json with its merges rewritten as [left, right] pairs (tokenizers >= 0.20 form).</summary>
    public static string WriteWithPairMerges(string sourcePath, string targetDir)
    {
        var root = JsonNode.Parse(File.ReadAllText(sourcePath))!;
        var merges = root["model"]!["merges"]!.AsArray();
        var pairs = new JsonArray();
        foreach (var merge in merges)
        {
            var parts = merge!.GetValue<string>().Split(' ');
            pairs.Add(new JsonArray(parts[0], parts[1]));
        }
        root["model"]!["merges"] = pairs;
        Directory.CreateDirectory(targetDir);
        var target = Path.Combine(targetDir, "tokenizer.json");
        File.WriteAllText(target, root.ToJsonString());
        return target;
    }
}

/// <summary>A temporary directory removed at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("lethe-test-").FullName;

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
