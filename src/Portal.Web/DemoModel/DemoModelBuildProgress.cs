using Lethe.Engine.DemoWorld;
using Microsoft.Extensions.Logging;

namespace Lethe.Portal.Web.DemoModel;

/// <summary>
/// Turns the engine's build reports into <see cref="DemoModelBuildStep"/>s on the status board and console log lines:
/// every stage change, and training progress each time it passes another <see cref="LogEveryPercent"/>%.
/// Reports arrive synchronously on the build thread.
/// </summary>
internal sealed class DemoModelBuildProgressReporter(
    DemoModelStatusBoard board, DemoModelStatus building, TimeProvider time, ILogger logger) : IProgress<DemoModelBuildProgress>
{
    public const int LogEveryPercent = 10;

    private readonly long _started = time.GetTimestamp();
    private string? _lastStage;
    private int _lastLoggedPercent = -1;

    public void Report(DemoModelBuildProgress value)
    {
        var step = ToStep(value, time.GetElapsedTime(_started));
        board.Publish(building.Building(step));
        var percentBucket = step.Percent is { } percent ? (int)percent / LogEveryPercent * LogEveryPercent : -1;
        if (value.Stage != _lastStage || percentBucket > _lastLoggedPercent)
        {
            _lastStage = value.Stage;
            _lastLoggedPercent = percentBucket;
            logger.LogInformation("Demo model ({Preset}): {Progress}", building.Preset, DemoModelStatusText.Describe(step));
        }
    }

    /// <summary>Percent = steps done / total steps x 100 while training; other stages have no percentage.</summary>
    internal static DemoModelBuildStep ToStep(DemoModelBuildProgress value, TimeSpan elapsed) =>
        value.Training is { TotalSteps: > 0 } training
            ? new DemoModelBuildStep(value.Stage, elapsed, 100.0 * training.Step / training.TotalSteps, training.Eta, training.Loss)
            : new DemoModelBuildStep(value.Stage, elapsed);
}
