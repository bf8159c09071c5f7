using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>
/// Reads and writes <see cref="EvaluationSpec"/> as snake_case JSON, e.g.
/// <c>{"preset": "tofu", "max_items": 50, "sets": ["forget", "retain"]}</c>. A "preset" key starts from that preset and the
/// other keys override it (no preset = the demo preset's values). Malformed JSON is reported with the file and line,
/// unknown keys and wrong types with the file and the JSON path.
/// </summary>
public static class EvaluationSpecJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static EvaluationSpec Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Evaluation spec not found: {path}", path);
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static EvaluationSpec Parse(string json, string source = "spec")
    {
        JsonObject overrides;
        try
        {
            overrides = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                as JsonObject ?? throw new InvalidDataException($"{source}: an evaluation spec must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}:{(e.LineNumber ?? 0) + 1}: malformed JSON ({e.Message}).", e);
        }
        try
        {
            var basis = EvaluationSpec.Demo with { Name = "custom" };
            if (overrides.Remove("preset", out var preset))
            {
                basis = EvaluationSpec.Preset(preset is JsonValue v && v.TryGetValue<string>(out var name) ? name : "");
            }
            var merged = JsonNode.Parse(Serialize(basis))!.AsObject();
            foreach (var (key, value) in overrides.ToList())
            {
                overrides.Remove(key);
                merged[key] = value;
            }
            return (merged.Deserialize<EvaluationSpec>(Options) ?? basis).Validate();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid evaluation spec at '{e.Path}': {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    public static string Serialize(EvaluationSpec spec) => JsonSerializer.Serialize(spec, Options);
}
