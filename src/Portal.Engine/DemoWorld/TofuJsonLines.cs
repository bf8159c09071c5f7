using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lethe.Engine.DemoWorld;

/// <summary>Reads and writes TOFU-shaped files: JSON Lines (one object per line); reading also accepts a JSON array.</summary>
public static class TofuJsonLines
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, IEnumerable<TofuRow> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(JsonSerializer.Serialize(row, Options)).Append('\n');
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public static IReadOnlyList<TofuRow> Read(string path)
    {
        var content = File.ReadAllText(path);
        if (content.TrimStart().StartsWith('['))
        {
            return Deserialize<List<TofuRow>>(content, path, "the JSON array") ?? [];
        }
        var rows = new List<TofuRow>();
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) { continue; }
            rows.Add(Deserialize<TofuRow>(lines[i], path, $"line {i + 1}")
                ?? throw new FormatException($"{path}: line {i + 1} is null, expected a question/answer object."));
        }
        return rows;
    }

    private static T? Deserialize<T>(string json, string path, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: {where} is not a valid TOFU row (needs 'question' and 'answer'): {e.Message}", e);
        }
    }
}
