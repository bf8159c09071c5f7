using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lethe.Engine.DemoWorld;

/// <summary>build.json of a demo model folder: what was built, from which options, how long it took, how well it memorised.</summary>
public sealed record DemoModelBuildRecord
{
    public const string FileName = "build.json";

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Preset { get; init; }
    public required string Fingerprint { get; init; }
    public required int BuilderVersion { get; init; }
    public required string CodeVersion { get; init; }
    public required JsonElement Options { get; init; }
    public required int Seed { get; init; }
    public required DateTimeOffset BuiltAt { get; init; }
    public required int TrainingExamples { get; init; }
    public required long Parameters { get; init; }
    public required int Threads { get; init; }
    public required double TokenizerSeconds { get; init; }
    public required double TrainingSeconds { get; init; }
    public required double MemorisationSeconds { get; init; }
    public required double TotalSeconds { get; init; }
    public required double TrainingTokensPerSecond { get; init; }
    public required double FinalLoss { get; init; }
    public required int MemorisationTotal { get; init; }
    public required int MemorisationPassed { get; init; }
    public required double MemorisationShare { get; init; }
    public required double MeanRougeLRecall { get; init; }
    public required bool ReachesBar { get; init; }

    public void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, JsonOptions) + "\n");

    /// <summary>The record in <paramref name="directory"/>, or null when it is missing or unreadable.</summary>
    public static DemoModelBuildRecord? TryRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<DemoModelBuildRecord>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
