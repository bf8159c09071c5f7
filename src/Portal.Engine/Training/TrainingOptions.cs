namespace Lethe.Engine.Training;

/// <summary>Settings of one causal-LM training run.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 16;
    public OptimiserSettings Optimiser { get; init; } = new();
    /// <summary>Seed of the per-epoch shuffles (model initialisation is seeded by the model constructor).</summary>
    public long Seed { get; init; }
    /// <summary>Also supervise the prompt tokens (after the first), not only the answer + EOS.</summary>
    public bool LossOnPrompt { get; init; }
    public int PadTokenId { get; init; }
    /// <summary>Where the final checkpoint (and, on cancellation, the resume state) is written; null = nowhere.</summary>
    public string? OutputDirectory { get; init; }
    /// <summary>Report progress every this many steps (and always at the last step).</summary>
    public int ProgressEvery { get; init; } = 1;
}

/// <summary>One progress report: 1-based epoch, steps done, mean loss over the steps since the last report.</summary>
public sealed record TrainingProgress(
    int Epoch, int Step, int TotalSteps, double Loss, double TokensPerSecond, TimeSpan Elapsed, TimeSpan Eta, double LearningRate);

/// <summary>Outcome of <see cref="CausalLmTrainer.Train"/>.</summary>
public sealed record TrainingResult(int StepsCompleted, int TotalSteps, double FinalLoss, TimeSpan Elapsed, double TokensPerSecond, bool Completed);
