using System.Text.Json;

namespace Lethe.Engine.Evaluation.Data;

/// <summary>
/// Reads TOFU-format files: JSON Lines (the Hugging Face copy, one object per line) or one JSON array. Every error
/// names the file and the line (JSON Lines) or the array element, and the field at fault.
/// </summary>
public static class TofuDataset
{
    public static IReadOnlyList<TofuItem> Load(string path, params string[] requiredFields)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"TOFU data file not found: {path}", path);
        }
        var text = File.ReadAllText(path);
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty)
        {
            throw new InvalidDataException($"{path}: the file is empty.");
        }
        return trimmed[0] == '[' ? LoadArray(path, text, requiredFields) : LoadLines(path, text, requiredFields);
    }

    private static List<TofuItem> LoadLines(string path, string text, string[] requiredFields)
    {
        var items = new List<TofuItem>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }
            var where = $"{path}:{i + 1}";
            try
            {
                using var document = JsonDocument.Parse(lines[i]);
                items.Add(ReadItem(document.RootElement, where, requiredFields));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{where}: malformed JSON ({e.Message}).", e);
            }
        }
        return items;
    }

    private static List<TofuItem> LoadArray(string path, string text, string[] requiredFields)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: malformed JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}: expected a JSON array of objects or JSON Lines.");
            }
            return document.RootElement.EnumerateArray()
                .Select((element, index) => ReadItem(element, $"{path}: array element {index}", requiredFields))
                .ToList();
        }
    }

    private static TofuItem ReadItem(JsonElement element, string where, string[] requiredFields)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: expected a JSON object, found {element.ValueKind}.");
        }
        foreach (var field in requiredFields.Concat(["question", "answer"]))
        {
            if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw new InvalidDataException($"{where}: missing required field '{field}'.");
            }
        }
        var options = Enumerable.Range(1, 4).Select(n => OptionalString(element, $"option{n}", where)).ToList();
        return new TofuItem(
            Question: OptionalString(element, "question", where)!,
            Answer: OptionalString(element, "answer", where)!,
            ParaphrasedQuestion: OptionalString(element, "paraphrased_question", where),
            ParaphrasedAnswer: OptionalString(element, "paraphrased_answer", where),
            PerturbedAnswers: StringList(element, "perturbed_answer", where),
            Options: options.All(o => o is null) ? null : options.Select(o => o ?? "").ToList());
    }

    private static string? OptionalString(JsonElement element, string field, string where)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidDataException($"{where}: field '{field}' must be a string, found {value.ValueKind}.");
    }

    private static List<string>? StringList(JsonElement element, string field, string where)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : throw new InvalidDataException($"{where}: field '{field}' must hold strings, found {v.ValueKind}.")).ToList(),
            _ => throw new InvalidDataException($"{where}: field '{field}' must be a list of strings, found {value.ValueKind}."),
        };
    }
}
