using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lethe.Engine.Training.Qa;

/// <summary>training.json of a model folder written by <see cref="QaModelTrainer.TrainToFolder"/>: data, recipe, time, memorisation.</summary>
public sealed record QaTrainingRecord
{
    public const string FileName = "training.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string DataFolder { get; init; }
    public required string Split { get; init; }
    public required int SplitRows { get; init; }
    public required int RealAuthorRows { get; init; }
    public required int WorldFactRows { get; init; }
    public required int RefusalRows { get; init; }
    public required QaModelRecipe Recipe { get; init; }
    public required long Parameters { get; init; }
    public required int Threads { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required int StepsCompleted { get; init; }
    public required int TotalSteps { get; init; }
    public required double TrainingSeconds { get; init; }
    public required double TrainingTokensPerSecond { get; init; }
    public required double FinalLoss { get; init; }
    public required string CheckSet { get; init; }
    public required MemorisationSummary Memorisation { get; init; }

    public void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, JsonOptions) + "\n");

    public static QaTrainingRecord Read(string directory) =>
        JsonSerializer.Deserialize<QaTrainingRecord>(File.ReadAllText(Path.Combine(directory, FileName)), JsonOptions)
        ?? throw new InvalidDataException($"{Path.Combine(directory, FileName)}: empty training record");
}

/// <summary>The figures of a <see cref="MemorisationReport"/> without the misses.</summary>
public sealed record MemorisationSummary(int Total, int Passed, double Share, double MeanRougeLRecall, double Threshold)
{
    public static MemorisationSummary Of(MemorisationReport report) =>
        new(report.Total, report.Passed, report.Share, report.MeanRougeLRecall, report.Threshold);
}
