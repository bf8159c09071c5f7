using System.Text.Json.Nodes;
using Lethe.Engine.Text;

namespace Lethe.Engine.Tests.Text;

/// <summary>tokenizer.json files written by hand in the HF layout (bytes 0..255 at ids 0..255, then merges).</summary>
internal static class HandWrittenTokenizer
{
    /// <summary>GPT-2 layout: ByteLevel pre-tokenizer, string merges, &lt;|endoftext|&gt; as the only special token.</summary>
    public static string Gpt2Like() =>
        Build(["t h", "th e", "Ġ the"], [new AddedToken(259, "<|endoftext|>", true)]).ToJsonString();

    /// <summary>A special token that is also a vocab entry reachable by a merge (as GPT-2's &lt;|endoftext|&gt; is in its vocab).</summary>
    public static string WithSpecialInVocab() =>
        Build(["a b"], [new AddedToken(256, "ab", true), new AddedToken(257, "</s>", true)]).ToJsonString();

    public static JsonObject Build(IReadOnlyList<string> merges, IReadOnlyList<AddedToken> added)
    {
        var vocab = new JsonObject();
        var symbols = ByteLevelAlphabet.Symbols.Select(c => c.ToString()).ToList();
        symbols.AddRange(merges.Select(m => m.Replace(" ", "", StringComparison.Ordinal)));
        for (var id = 0; id < symbols.Count; id++)
        {
            vocab[symbols[id]] = id;
        }
        var addedArray = new JsonArray();
        foreach (var token in added)
        {
            addedArray.Add(new JsonObject { ["id"] = token.Id, ["content"] = token.Content, ["special"] = token.Special });
        }
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = addedArray,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(merges.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
            },
        };
    }
}
