using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lethe.Engine.Training;

/// <summary>AdamW hyper-parameters, the warm-up + cosine schedule and global-norm gradient clipping.</summary>
public sealed record OptimiserSettings
{
    public double LearningRate { get; init; } = 1e-3;
    public double WarmupFraction { get; init; } = 0.05;
    public double MinLearningRateFraction { get; init; } = 0.1;
    public double WeightDecay { get; init; } = 0.01;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Clip the global L2 norm of all gradients to this value; 0 or less disables clipping.</summary>
    public double MaxGradNorm { get; init; } = 1.0;
}

/// <summary>
/// "Train these parameters on this loss": each <see cref="Step"/> zeroes gradients, back-propagates the loss,
/// clips the global gradient norm, sets the scheduled learning rate and applies one AdamW update.
/// Used by the causal-LM trainer and by the unlearning baselines with their own losses.
/// </summary>
public sealed class ParameterOptimiser : IDisposable
{
    private readonly List<Parameter> _parameters;
    private readonly OptimiserSettings _settings;
    private readonly int _warmupSteps;
    private readonly AdamW _adamW;

    public ParameterOptimiser(IEnumerable<Parameter> parameters, OptimiserSettings settings, int totalSteps)
    {
        _parameters = parameters.Where(p => p.requires_grad).ToList();
        if (_parameters.Count == 0)
        {
            throw new ArgumentException("no trainable parameters (all have requires_grad = false)", nameof(parameters));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        _settings = settings;
        TotalSteps = totalSteps;
        _warmupSteps = (int)Math.Round(settings.WarmupFraction * totalSteps);
        _adamW = optim.AdamW(_parameters, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Epsilon, settings.WeightDecay);
    }

    public int TotalSteps { get; }
    public int StepsTaken { get; private set; }
    public double LastGradNorm { get; private set; }
    public double CurrentLearningRate =>
        LearningRateSchedule.WarmupCosine(StepsTaken, TotalSteps, _warmupSteps, _settings.LearningRate, _settings.MinLearningRateFraction);

    /// <summary>Runs one optimisation step on the scalar loss built by <paramref name="computeLoss"/>; returns its value.</summary>
    public float Step(Func<Tensor> computeLoss)
    {
        using var scope = NewDisposeScope();
        _adamW.zero_grad();
        var loss = computeLoss();
        var value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw new InvalidOperationException($"loss became {value} at step {StepsTaken}; lower the learning rate");
        }
        loss.backward();
        if (_settings.MaxGradNorm > 0)
        {
            LastGradNorm = nn.utils.clip_grad_norm_(_parameters, _settings.MaxGradNorm);
        }
        SetLearningRate(CurrentLearningRate);
        _adamW.step();
        StepsTaken++;
        return value;
    }

    /// <summary>Writes the AdamW moments and the step count (for resuming).</summary>
    public void SaveState(string path)
    {
        _adamW.save_state_dict(path);
        File.WriteAllText(path + ".step", StepsTaken.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote; the parameters must be the same ones in the same order.</summary>
    public void LoadState(string path)
    {
        _adamW.load_state_dict(path);
        StepsTaken = int.Parse(File.ReadAllText(path + ".step"), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void SetLearningRate(double learningRate)
    {
        foreach (var group in _adamW.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }

    public void Dispose() => _adamW.Dispose();
}
