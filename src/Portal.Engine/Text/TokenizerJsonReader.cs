using System.Text.Json;

namespace Lethe.Engine.Text;

/// <summary>Reads an HF `tokenizer.json` (model.type BPE, byte-level) plus an optional `tokenizer_config.json` beside it.</summary>
internal static class TokenizerJsonReader
{
    public static ByteLevelBpeTokenizer Read(string path)
    {
        if (!File.Exists(path)) { throw new FileNotFoundException($"Tokenizer file not found: {path}", path); }
        using var document = Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) { throw Error(path, "the top level must be a JSON object"); }
        var model = RequireProperty(root, "model", JsonValueKind.Object, path);
        if (model.TryGetProperty("type", out var type) && type.GetString() != "BPE")
        {
            throw Error(path, $"model.type is '{type}', only 'BPE' is supported");
        }
        var vocab = ReadVocab(RequireProperty(model, "vocab", JsonValueKind.Object, path), path);
        var merges = ReadMerges(RequireProperty(model, "merges", JsonValueKind.Array, path), path);
        var added = ReadAddedTokens(root, path);
        var ignoreMerges = model.TryGetProperty("ignore_merges", out var im) && im.ValueKind == JsonValueKind.True;
        var preTokenizer = ReadPreTokenizer(root, path);
        var roles = ReadRoles(root, added, path);
        return new ByteLevelBpeTokenizer(vocab, merges, added, preTokenizer, ignoreMerges, roles, path);
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw Error(path, $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {e.Message}", e);
        }
    }

    private static Dictionary<string, int> ReadVocab(JsonElement vocabElement, string path)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
            {
                throw Error(path, $"model.vocab['{entry.Name}'] must be a non-negative integer id, found {entry.Value}");
            }
            vocab[entry.Name] = id;
        }
        return vocab;
    }

    /// <summary>Merges come as "left right" strings (tokenizers &lt; 0.20) or as [left, right] pairs (newer files).</summary>
    private static List<(string, string)> ReadMerges(JsonElement mergesElement, string path)
    {
        var merges = new List<(string, string)>(mergesElement.GetArrayLength());
        var index = 0;
        foreach (var merge in mergesElement.EnumerateArray())
        {
            if (merge.ValueKind == JsonValueKind.String)
            {
                var parts = merge.GetString()!.Split(' ');
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    throw Error(path, $"model.merges[{index}] = \"{merge.GetString()}\" is not two tokens separated by one space");
                }
                merges.Add((parts[0], parts[1]));
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                     && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
            {
                merges.Add((merge[0].GetString()!, merge[1].GetString()!));
            }
            else
            {
                throw Error(path, $"model.merges[{index}] must be a \"a b\" string or an [a, b] pair, found {merge}");
            }
            index++;
        }
        return merges;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string path)
    {
        var added = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var array) || array.ValueKind == JsonValueKind.Null) { return added; }
        if (array.ValueKind != JsonValueKind.Array) { throw Error(path, "added_tokens must be an array"); }
        var index = 0;
        foreach (var token in array.EnumerateArray())
        {
            if (!token.TryGetProperty("id", out var id) || !id.TryGetInt32(out var idValue)
                || !token.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                throw Error(path, $"added_tokens[{index}] needs an integer 'id' and a string 'content'");
            }
            var special = token.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True;
            added.Add(new AddedToken(idValue, content.GetString()!, special));
            index++;
        }
        return added;
    }

    private static PreTokenizer ReadPreTokenizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind == JsonValueKind.Null)
        {
            throw Error(path, "pre_tokenizer is missing; a byte-level BPE tokenizer needs a ByteLevel pre-tokenizer");
        }
        string? splitPattern = null;
        bool? byteLevelUsesRegex = null;
        var addPrefixSpace = false;
        var steps = TypeOf(pre) == "Sequence" && pre.TryGetProperty("pretokenizers", out var list)
            ? list.EnumerateArray().ToList()
            : [pre];
        foreach (var step in steps)
        {
            switch (TypeOf(step))
            {
                case "ByteLevel":
                    byteLevelUsesRegex = !step.TryGetProperty("use_regex", out var ur) || ur.ValueKind != JsonValueKind.False;
                    addPrefixSpace = step.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.True;
                    break;
                case "Split" when step.TryGetProperty("pattern", out var pattern) && pattern.TryGetProperty("Regex", out var regex):
                    splitPattern = regex.GetString();
                    break;
                default:
                    throw Error(path, $"pre_tokenizer step '{TypeOf(step)}' is not supported (ByteLevel and Split with a Regex are)");
            }
        }
        if (byteLevelUsesRegex is null) { throw Error(path, "pre_tokenizer has no ByteLevel step; only byte-level BPE is supported"); }
        var patternToUse = splitPattern ?? (byteLevelUsesRegex.Value ? PreTokenizer.Gpt2Pattern : null)
            ?? throw Error(path, "pre_tokenizer has neither a Split regex nor ByteLevel use_regex; words cannot be split");
        return new PreTokenizer(patternToUse, addPrefixSpace);
    }

    private static SpecialTokenRoles ReadRoles(JsonElement root, List<AddedToken> added, string path)
    {
        var config = ReadTokenizerConfig(path);
        var specials = added.Where(t => t.Special).Select(t => t.Content).ToList();
        var bos = ConfigToken(config, "bos_token") ?? TemplateBos(root, added);
        return SpecialTokenRoles.Infer(specials, bos, ConfigToken(config, "eos_token"), ConfigToken(config, "pad_token"), $"Malformed tokenizer file {path}");
    }

    private static Dictionary<string, string?> ReadTokenizerConfig(string tokenizerPath)
    {
        var configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerPath))!, "tokenizer_config.json");
        var result = new Dictionary<string, string?>();
        if (!File.Exists(configPath)) { return result; }
        using var document = Parse(configPath);
        foreach (var name in new[] { "bos_token", "eos_token", "pad_token" })
        {
            if (!document.RootElement.TryGetProperty(name, out var value)) { continue; }
            result[name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Object when value.TryGetProperty("content", out var c) => c.GetString(),
                _ => null,
            };
        }
        return result;
    }

    private static string? ConfigToken(Dictionary<string, string?> config, string name) =>
        config.TryGetValue(name, out var value) ? value : null;

    /// <summary>A TemplateProcessing post-processor whose single-sequence template starts with a special token names the BOS.</summary>
    private static string? TemplateBos(JsonElement root, List<AddedToken> added)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind != JsonValueKind.Object) { return null; }
        var processors = TypeOf(post) == "Sequence" && post.TryGetProperty("processors", out var list)
            ? list.EnumerateArray().ToList()
            : [post];
        foreach (var processor in processors.Where(p => TypeOf(p) == "TemplateProcessing"))
        {
            if (processor.TryGetProperty("single", out var single) && single.GetArrayLength() > 0
                && single[0].TryGetProperty("SpecialToken", out var first) && first.TryGetProperty("id", out var name))
            {
                var content = name.GetString();
                return added.Any(t => t.Content == content) ? content : null;
            }
        }
        return null;
    }

    private static JsonElement RequireProperty(JsonElement parent, string name, JsonValueKind kind, string path)
    {
        if (!parent.TryGetProperty(name, out var value)) { throw Error(path, $"'{name}' is missing"); }
        if (value.ValueKind != kind) { throw Error(path, $"'{name}' must be a JSON {kind}, found {value.ValueKind}"); }
        return value;
    }

    private static string? TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) ? type.GetString() : null;

    private static FormatException Error(string path, string message, Exception? inner = null) =>
        new($"Malformed tokenizer file {path}: {message}.", inner);
}
