using System.Text.Json;
using Lethe.Engine.Modeling;
using static TorchSharp.torch;

namespace Lethe.Engine.Training;

/// <summary>
/// Trains a <see cref="LlamaForCausalLM"/> on prompt/answer examples: loss = mean cross-entropy over the answer
/// tokens + EOS (optionally the prompt too), AdamW with warm-up + cosine decay and clipping, seeded shuffles.
/// Cancelling with an output folder saves a resumable state (weights, AdamW moments, step); a later call resumes from it.
/// </summary>
public sealed class CausalLmTrainer(TimeProvider? timeProvider = null)
{
    public const string StateFile = "trainer_state.json";
    public const string OptimiserStateFile = "optimiser_state.bin";

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    private sealed record ResumeState(int StepsCompleted, int TotalSteps, long Seed);

    public TrainingResult Train(
        LlamaForCausalLM model,
        IReadOnlyList<PromptAnswer> examples,
        TrainingOptions options,
        Action<TrainingProgress>? onProgress = null,
        CancellationToken cancellationToken = default)
    {
        if (examples.Count == 0)
        {
            throw new ArgumentException("no training examples", nameof(examples));
        }
        TorchRuntime.Initialise();
        var stepsPerEpoch = (examples.Count + options.BatchSize - 1) / options.BatchSize;
        var totalSteps = stepsPerEpoch * options.Epochs;
        using var optimiser = new ParameterOptimiser(model.parameters(), options.Optimiser, totalSteps);
        var resumed = TryResume(model, optimiser, options, totalSteps);

        var started = _time.GetTimestamp();
        long tokens = 0;
        double lossSinceReport = 0, lastLoss = double.NaN;
        var stepsSinceReport = 0;
        model.train();
        try
        {
            for (var step = resumed; step < totalSteps; step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    SaveResumeState(model, optimiser, options, step, totalSteps);
                    var elapsed = _time.GetElapsedTime(started);
                    return new TrainingResult(step, totalSteps, lastLoss, elapsed, tokens / Math.Max(elapsed.TotalSeconds, 1e-9), false);
                }
                var epoch = step / stepsPerEpoch;
                var batchItems = EpochOrder(examples.Count, options.Seed, epoch)
                    .Skip(step % stepsPerEpoch * options.BatchSize).Take(options.BatchSize)
                    .Select(i => examples[i]).ToList();
                using var batch = TokenBatch.Build(batchItems, options.PadTokenId, options.LossOnPrompt);
                lastLoss = optimiser.Step(() => CrossEntropy(model, batch));
                tokens += batchItems.Sum(i => i.Length - 1);
                lossSinceReport += lastLoss;
                stepsSinceReport++;
                if ((step + 1) % options.ProgressEvery == 0 || step + 1 == totalSteps)
                {
                    onProgress?.Invoke(Progress(epoch, step + 1 - resumed, step + 1, totalSteps, lossSinceReport / stepsSinceReport, tokens, started, optimiser));
                    lossSinceReport = 0;
                    stepsSinceReport = 0;
                }
            }
        }
        finally
        {
            model.eval();
        }
        if (options.OutputDirectory is { } dir)
        {
            ModelCheckpoint.Save(model, dir);
            foreach (var resumeFile in new[] { StateFile, OptimiserStateFile, OptimiserStateFile + ".step" })
            {
                File.Delete(Path.Combine(dir, resumeFile));
            }
        }
        var total = _time.GetElapsedTime(started);
        return new TrainingResult(totalSteps, totalSteps, lastLoss, total, tokens / Math.Max(total.TotalSeconds, 1e-9), true);
    }

    /// <summary>Mean cross-entropy over supervised targets: -mean log softmax(logits)[target], logits [B,L,V].</summary>
    public static Tensor CrossEntropy(LlamaForCausalLM model, TokenBatch batch)
    {
        var logits = model.Forward(batch.InputIds, batch.AttentionMask);
        return nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[^1]), batch.Targets.reshape(-1), ignore_index: TokenBatch.IgnoreIndex);
    }

    /// <summary>
    /// The example order of one epoch: a Fisher-Yates shuffle seeded by (seed, epoch), so resuming reproduces it. The
    /// seed is a fixed SplitMix64-style mix, the same in every process (HashCode.Combine is salted per process).
    /// </summary>
    public static int[] EpochOrder(int count, long seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(StableSeed(seed, epoch)).Shuffle(order);
        return order;
    }

    private static int StableSeed(long seed, int epoch)
    {
        unchecked
        {
            var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (int)((z ^ (z >> 31)) & int.MaxValue);
        }
    }

    private TrainingProgress Progress(int epoch, int stepsThisRun, int step, int totalSteps, double loss, long tokens, long started, ParameterOptimiser optimiser)
    {
        var elapsed = _time.GetElapsedTime(started);
        var perStep = elapsed / Math.Max(1, stepsThisRun);
        return new TrainingProgress(epoch + 1, step, totalSteps, loss, tokens / Math.Max(elapsed.TotalSeconds, 1e-9),
            elapsed, perStep * (totalSteps - step), optimiser.CurrentLearningRate);
    }

    private static void SaveResumeState(LlamaForCausalLM model, ParameterOptimiser optimiser, TrainingOptions options, int step, int totalSteps)
    {
        if (options.OutputDirectory is not { } dir)
        {
            return;
        }
        ModelCheckpoint.Save(model, dir);
        optimiser.SaveState(Path.Combine(dir, OptimiserStateFile));
        File.WriteAllText(Path.Combine(dir, StateFile), JsonSerializer.Serialize(new ResumeState(step, totalSteps, options.Seed)));
    }

    /// <summary>Loads weights, AdamW moments and step count of an interrupted run with the same plan; returns the steps done.</summary>
    private static int TryResume(LlamaForCausalLM model, ParameterOptimiser optimiser, TrainingOptions options, int totalSteps)
    {
        var statePath = options.OutputDirectory is { } dir ? Path.Combine(dir, StateFile) : null;
        if (statePath is null || !File.Exists(statePath))
        {
            return 0;
        }
        var state = JsonSerializer.Deserialize<ResumeState>(File.ReadAllText(statePath))
            ?? throw new InvalidDataException($"{statePath}: empty trainer state");
        if (state.TotalSteps != totalSteps || state.Seed != options.Seed)
        {
            throw new InvalidDataException(
                $"{statePath}: the interrupted run planned {state.TotalSteps} steps with seed {state.Seed}, this run plans {totalSteps} with seed {options.Seed}; delete the file to start over");
        }
        ModelCheckpoint.LoadWeights(model, options.OutputDirectory!);
        optimiser.LoadState(Path.Combine(options.OutputDirectory!, OptimiserStateFile));
        return state.StepsCompleted;
    }
}
