using Lethe.Engine.DemoWorld;
using Lethe.Portal.Data.Configuration;
using Microsoft.Extensions.Options;

namespace Lethe.Portal.Web.DemoModel;

/// <summary>
/// In demo mode, makes sure the configured demo model exists under the data directory: a cached folder is used as it is,
/// otherwise (when <c>Lethe:Demo:BuildModel</c> is on) <see cref="DemoModelBuilder.EnsureBuilt"/> trains it on a
/// dedicated background thread. Start-up and page loads never wait for it; progress goes to the status board and the log.
/// </summary>
internal sealed class DemoModelBuildService(
    DemoModelStatusBoard board,
    IOptions<DemoModelOptions> modelOptions,
    IOptions<DemoOptions> demoOptions,
    IOptions<PortalDataOptions> dataOptions,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<DemoModelBuildService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = modelOptions.Value;
        DemoModelPreset preset;
        string cacheDirectory;
        try
        {
            preset = settings.ResolvePreset();
            cacheDirectory = settings.ResolveModelDirectory(dataOptions.Value.ResolveDataDirectory(environment.ContentRootPath));
        }
        catch (InvalidOperationException e)
        {
            logger.LogError("Demo model: {Error}", e.Message);
            board.Publish(board.Current.Failed(e.Message));
            return;
        }

        var idle = DemoModelStatus.NotStarted(preset.Name, DemoModelBuilder.FolderFor(preset, cacheDirectory), "");
        if (!demoOptions.Value.IsEnabledIn(environment))
        {
            board.Publish(idle with { Note = "Demo mode is off, so no demo model is built." });
            return;
        }
        if (DemoModelBuilder.IsComplete(idle.Folder, preset))
        {
            PublishReady(idle);
            return;
        }
        if (!settings.BuildModel)
        {
            board.Publish(idle with { Note = $"Building is switched off ({DemoModelOptions.SectionName}:BuildModel=false)." });
            return;
        }
        await BuildAsync(preset, cacheDirectory, idle, stoppingToken);
    }

    private async Task BuildAsync(DemoModelPreset preset, string cacheDirectory, DemoModelStatus idle, CancellationToken stoppingToken)
    {
        logger.LogInformation("Demo model ({Preset}): not cached yet, training it in the background into {Folder}", preset.Name, idle.Folder);
        board.Publish(idle.Building(new DemoModelBuildStep("waiting for the build lock", TimeSpan.Zero)));
        var progress = new DemoModelBuildProgressReporter(board, idle, time, logger);
        var started = time.GetTimestamp();
        try
        {
            // A build takes minutes of CPU: a dedicated thread, not one of the request-serving pool threads.
            await Task.Factory.StartNew(
                () => DemoModelBuilder.EnsureBuilt(preset, cacheDirectory, progress, time, stoppingToken),
                stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            logger.LogInformation("Demo model ({Preset}): ready after {Duration}", preset.Name,
                DemoModelStatusText.Duration(time.GetElapsedTime(started)));
            PublishReady(idle);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            board.Publish(idle with { Note = "The build stopped with the portal; it starts again on the next start." });
        }
        catch (Exception e)
        {
            logger.LogError(e, "Demo model ({Preset}): the build failed", preset.Name);
            board.Publish(idle.Failed(e.Message));
        }
    }

    private void PublishReady(DemoModelStatus idle)
    {
        try
        {
            var ready = idle.Ready(DemoModelFolder.ReadFacts(idle.Folder));
            logger.LogInformation("Demo model ({Preset}): {Summary} - {Folder}", idle.Preset, DemoModelStatusText.Summary(ready), idle.Folder);
            board.Publish(ready);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            logger.LogError(e, "Demo model ({Preset}): the model folder {Folder} cannot be read", idle.Preset, idle.Folder);
            board.Publish(idle.Failed(e.Message));
        }
    }
}
