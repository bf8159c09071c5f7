using System.Text.Json;

namespace Lethe.Engine.Training.Qa;

/// <summary>Reads and writes a <see cref="QaModelRecipe"/> as JSON (snake_case keys; unknown keys are errors).</summary>
public static class QaModelRecipeJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a recipe file; keys that are absent keep their defaults. Errors name the file and line.</summary>
    public static QaModelRecipe Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model recipe file not found: {path}", path);
        }
        QaModelRecipe recipe;
        try
        {
            recipe = JsonSerializer.Deserialize<QaModelRecipe>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path}: the file holds null, expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
        try
        {
            recipe.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        return recipe;
    }

    public static string Serialize(QaModelRecipe recipe) => JsonSerializer.Serialize(recipe, Options);
}
