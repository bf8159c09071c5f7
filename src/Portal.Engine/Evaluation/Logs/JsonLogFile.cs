using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lethe.Engine.Evaluation.Logs;

/// <summary>Opens a JSON log with errors that name the file and the line, and typed accessors that name the path at fault.</summary>
internal static class JsonLogFile
{
    public static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Evaluation log not found: {path}", path);
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: malformed JSON ({e.Message}).", e);
        }
        return root as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object at the top level.");
    }

    public static JsonObject Object(JsonObject parent, string key, string where) =>
        parent[key] as JsonObject ?? throw new InvalidDataException($"{where}: missing object '{key}'.");

    public static double Number(JsonNode? node, string where) =>
        node is JsonValue value && value.TryGetValue<double>(out var number)
            ? number
            : throw new InvalidDataException($"{where}: expected a number, found {Describe(node)}.");

    public static string Text(JsonNode? node, string where) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new InvalidDataException($"{where}: expected a string, found {Describe(node)}.");

    public static IReadOnlyList<double> Numbers(JsonNode? node, string where) => node switch
    {
        JsonArray array => array.Select((n, i) => Number(n, $"{where}[{i}]")).ToList(),
        JsonValue => [Number(node, where)],
        _ => throw new InvalidDataException($"{where}: expected a list of numbers, found {Describe(node)}."),
    };

    private static string Describe(JsonNode? node) => node?.GetValueKind().ToString() ?? "nothing";
}
