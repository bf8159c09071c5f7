using System.Reflection;
using System.Text.Json;
using Lethe.Engine.Modeling;
using Lethe.Engine.Training;
using Lethe.Engine.Training.Qa;

namespace Lethe.Engine.DemoWorld;

/// <summary>A stage of a demo model build ("world", "tokenizer", "training", "memorisation", "saving"), with the trainer's report while training.</summary>
public sealed record DemoModelBuildProgress(string Stage, TrainingProgress? Training = null);

/// <summary>
/// Builds a demo model: generate the world -> train a BPE tokenizer and a small Llama on the demo training mix ->
/// check memorisation (greedy answers, ROUGE-L recall >= 0.9) -> write the model folder (config.json,
/// model.safetensors, tokenizer.json), the world in TOFU shapes under <see cref="WorldFolder"/>, and build.json.
/// Folders are written through <see cref="AtomicFolder"/>, so a crash never leaves half a model.
/// </summary>
public static class DemoModelBuilder
{
    /// <summary>Sub-folder of a demo model folder holding the world's TOFU-format files.</summary>
    public const string WorldFolder = "world";

    private static readonly string[] RequiredFiles =
        [ModelCheckpoint.ConfigFile, ModelCheckpoint.WeightsFile, LanguageModel.TokenizerFile, DemoModelBuildRecord.FileName];

    /// <summary>The cache folder of <paramref name="preset"/>: &lt;cacheDir&gt;/demo-&lt;name&gt;-&lt;fingerprint&gt;.</summary>
    public static string FolderFor(DemoModelPreset preset, string cacheDir) =>
        Path.Combine(cacheDir, $"demo-{preset.Name}-{preset.Fingerprint()}");

    /// <summary>
    /// Returns the cached model folder of <paramref name="preset"/>, building it first when it is missing, incomplete or
    /// was built from other options. Processes that share the cache build it once: the others wait on a lock file.
    /// </summary>
    public static string EnsureBuilt(
        DemoModelPreset preset,
        string cacheDir,
        IProgress<DemoModelBuildProgress>? progress = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        var folder = FolderFor(preset, cacheDir);
        if (IsComplete(folder, preset))
        {
            return folder;
        }
        Directory.CreateDirectory(cacheDir);
        using (BuildLock.Acquire(folder + ".lock", cancellationToken))
        {
            // Another process may have finished the same build while this one waited for the lock.
            if (!IsComplete(folder, preset))
            {
                Build(preset, folder, progress, time, cancellationToken);
            }
        }
        return folder;
    }

    /// <summary>True when <paramref name="folder"/> holds every file of a finished build of <paramref name="preset"/>.</summary>
    public static bool IsComplete(string folder, DemoModelPreset preset) =>
        RequiredFiles.All(f => File.Exists(Path.Combine(folder, f)))
        && File.Exists(Path.Combine(folder, WorldFolder, DemoWorldManifest.FileName))
        && DemoModelBuildRecord.TryRead(folder)?.Fingerprint == preset.Fingerprint();

    /// <summary>Builds <paramref name="preset"/> into <paramref name="folder"/> (replacing what is there) and returns its build record.</summary>
    public static DemoModelBuildRecord Build(
        DemoModelPreset preset,
        string folder,
        IProgress<DemoModelBuildProgress>? progress = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        return AtomicFolder.Write(folder, staging => BuildInto(preset, staging, progress, time, cancellationToken));
    }

    private static DemoModelBuildRecord BuildInto(
        DemoModelPreset preset, string folder, IProgress<DemoModelBuildProgress>? progress, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        progress?.Report(new DemoModelBuildProgress("world"));
        var world = DemoWorldGenerator.Generate(preset.World);
        world.WriteTo(Path.Combine(folder, WorldFolder));
        var mix = DemoTrainingMix.Build(world, preset.TrainParaphrasedQuestions);

        var trainingStart = time.GetTimestamp();
        var trained = new QaModelTrainer(time).Train(mix, preset.Recipe,
            stage => progress?.Report(new DemoModelBuildProgress(stage.Stage, stage.Training)), cancellationToken);
        using var model = trained.Model;
        var trainingTime = time.GetElapsedTime(trainingStart) - trained.TokenizerTime;
        if (!trained.Training.Completed)
        {
            throw new OperationCanceledException("The demo model build was cancelled.", cancellationToken);
        }

        progress?.Report(new DemoModelBuildProgress("memorisation"));
        var checkStart = time.GetTimestamp();
        var memorisation = MemorisationCheck.Measure(model, DemoTrainingMix.MemorisationQuestions(world));
        var checkTime = time.GetElapsedTime(checkStart);

        progress?.Report(new DemoModelBuildProgress("saving"));
        model.Save(folder);
        var record = new DemoModelBuildRecord
        {
            Preset = preset.Name,
            Fingerprint = preset.Fingerprint(),
            BuilderVersion = DemoModelPreset.BuilderVersion,
            CodeVersion = CodeVersion(),
            Options = JsonDocument.Parse(preset.DescribeJson()).RootElement.Clone(),
            Seed = preset.World.Seed,
            BuiltAt = time.GetUtcNow(),
            TrainingExamples = mix.Count,
            Parameters = model.Model.parameters().Sum(p => p.numel()),
            Threads = TorchRuntime.Initialise(),
            TokenizerSeconds = trained.TokenizerTime.TotalSeconds,
            TrainingSeconds = trainingTime.TotalSeconds,
            MemorisationSeconds = checkTime.TotalSeconds,
            TotalSeconds = time.GetElapsedTime(started).TotalSeconds,
            TrainingTokensPerSecond = trained.Training.TokensPerSecond,
            FinalLoss = trained.Training.FinalLoss,
            MemorisationTotal = memorisation.Total,
            MemorisationPassed = memorisation.Passed,
            MemorisationShare = memorisation.Share,
            MeanRougeLRecall = memorisation.MeanRougeLRecall,
            ReachesBar = memorisation.Reaches(preset.MemorisationBar),
        };
        record.Write(folder);
        return record;
    }

    /// <summary>The engine assembly's informational version (includes the commit when the build stamps it).</summary>
    public static string CodeVersion() =>
        typeof(DemoModelBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
