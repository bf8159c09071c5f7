using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lethe.Engine.Text;

/// <summary>
/// Writes an HF-compatible `tokenizer.json` (loads in `PreTrainedTokenizerFast` / `AutoTokenizer`) and a
/// `tokenizer_config.json` beside it naming the BOS/EOS/PAD tokens.
/// </summary>
internal static class TokenizerJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(ByteLevelBpeTokenizer tokenizer, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        using (var stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");
            WriteAddedTokens(json, tokenizer);
            json.WriteNull("normalizer");
            WritePreTokenizer(json, tokenizer.PreTokenizer);
            WritePostProcessor(json, tokenizer);
            json.WritePropertyName("decoder");
            WriteByteLevel(json, addPrefixSpace: true, useRegex: true);
            WriteModel(json, tokenizer);
            json.WriteEndObject();
        }
        WriteConfig(tokenizer, Path.Combine(directory, "tokenizer_config.json"));
    }

    private static void WriteAddedTokens(Utf8JsonWriter json, ByteLevelBpeTokenizer tokenizer)
    {
        json.WriteStartArray("added_tokens");
        foreach (var token in tokenizer.AddedTokens)
        {
            json.WriteStartObject();
            json.WriteNumber("id", token.Id);
            json.WriteString("content", token.Content);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("special", token.Special);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WritePreTokenizer(Utf8JsonWriter json, PreTokenizer preTokenizer)
    {
        json.WritePropertyName("pre_tokenizer");
        if (preTokenizer.IsGpt2Pattern)
        {
            WriteByteLevel(json, preTokenizer.AddPrefixSpace, useRegex: true);
            return;
        }
        json.WriteStartObject();
        json.WriteString("type", "Sequence");
        json.WriteStartArray("pretokenizers");
        json.WriteStartObject();
        json.WriteString("type", "Split");
        json.WriteStartObject("pattern");
        json.WriteString("Regex", preTokenizer.Pattern);
        json.WriteEndObject();
        json.WriteString("behavior", "Isolated");
        json.WriteBoolean("invert", false);
        json.WriteEndObject();
        WriteByteLevel(json, preTokenizer.AddPrefixSpace, useRegex: false);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>With a BOS token, HF adds it in front of every encoded sequence (as Llama does); otherwise byte-level only.</summary>
    private static void WritePostProcessor(Utf8JsonWriter json, ByteLevelBpeTokenizer tokenizer)
    {
        json.WritePropertyName("post_processor");
        if (tokenizer.BosId is not { } bosId)
        {
            WriteByteLevel(json, addPrefixSpace: true, useRegex: true);
            return;
        }
        var bos = tokenizer.Roles.Bos!;
        json.WriteStartObject();
        json.WriteString("type", "TemplateProcessing");
        json.WriteStartArray("single");
        WriteTemplatePiece(json, "SpecialToken", bos);
        WriteTemplatePiece(json, "Sequence", "A");
        json.WriteEndArray();
        json.WriteStartArray("pair");
        WriteTemplatePiece(json, "SpecialToken", bos);
        WriteTemplatePiece(json, "Sequence", "A");
        WriteTemplatePiece(json, "SpecialToken", bos);
        WriteTemplatePiece(json, "Sequence", "B");
        json.WriteEndArray();
        json.WriteStartObject("special_tokens");
        json.WriteStartObject(bos);
        json.WriteString("id", bos);
        json.WriteStartArray("ids");
        json.WriteNumberValue(bosId);
        json.WriteEndArray();
        json.WriteStartArray("tokens");
        json.WriteStringValue(bos);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteTemplatePiece(Utf8JsonWriter json, string kind, string id)
    {
        json.WriteStartObject();
        json.WriteStartObject(kind);
        json.WriteString("id", id);
        json.WriteNumber("type_id", 0);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter json, bool addPrefixSpace, bool useRegex)
    {
        json.WriteStartObject();
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", addPrefixSpace);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", useRegex);
        json.WriteEndObject();
    }

    /// <summary>Merges are written as "left right" strings: every tokenizers version reads that form.</summary>
    private static void WriteModel(Utf8JsonWriter json, ByteLevelBpeTokenizer tokenizer)
    {
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteNull("unk_token");
        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteBoolean("ignore_merges", tokenizer.IgnoreMerges);
        json.WriteStartObject("vocab");
        foreach (var (token, id) in tokenizer.Vocabulary.OrderBy(p => p.Value))
        {
            json.WriteNumber(token, id);
        }
        json.WriteEndObject();
        json.WriteStartArray("merges");
        foreach (var (left, right) in tokenizer.Merges)
        {
            json.WriteStringValue($"{left} {right}");
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteConfig(ByteLevelBpeTokenizer tokenizer, string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, Options);
        json.WriteStartObject();
        json.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
        if (tokenizer.Roles.Bos is { } bos) { json.WriteString("bos_token", bos); }
        else { json.WriteNull("bos_token"); }
        json.WriteString("eos_token", tokenizer.Roles.Eos);
        json.WriteString("pad_token", tokenizer.Roles.Pad);
        json.WriteBoolean("clean_up_tokenization_spaces", false);
        json.WriteNumber("model_max_length", 4096);
        json.WriteEndObject();
    }
}
