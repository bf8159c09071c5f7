using System.Globalization;

namespace Lethe.Engine.Unlearning.Baselines;

public enum BaselineMethod
{
    GradAscent,
    GradDiff,
    Npo,
    IdkNll,
    SimNpo,
    Rmu,
}

/// <summary>
/// Training settings of a baseline. Defaults follow open-unlearning's configs (AdamW lr 1e-5, 10 epochs, effective batch
/// 32, weight decay 0.01, 1 warm-up epoch; NPO beta 0.1; SimNPO beta 4.5, delta 0, gamma 0.125; RMU steering 2 at a
/// middle layer; retain weight alpha 1). Models under 100M parameters start at lr 1e-4 (<see cref="DefaultsFor"/>):
/// 1e-5 barely moves a small model within 10 epochs. Sweeps override any field with <see cref="WithOverrides"/>.
/// </summary>
public sealed record BaselineHyperparameters
{
    public const long SmallModelParameterLimit = 100_000_000;

    public BaselineMethod Method { get; init; }
    public double LearningRate { get; init; } = 1e-5;
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 32;
    public double WeightDecay { get; init; } = 0.01;
    public int WarmupEpochs { get; init; } = 1;

    /// <summary>Inverse temperature of NPO (0.1) and SimNPO (4.5).</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>Weight of the retain loss.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>Weight of the forget loss.</summary>
    public double Gamma { get; init; } = 1.0;

    /// <summary>SimNPO's reward margin.</summary>
    public double Delta { get; init; }

    /// <summary>RMU's control-vector norm c.</summary>
    public double SteeringCoefficient { get; init; } = 2.0;

    /// <summary>RMU's layer (-1 = the middle layer of the model).</summary>
    public int RmuLayer { get; init; } = -1;

    /// <summary>The method's defaults; <paramref name="modelParameters"/> below 100M raises lr to 1e-4.</summary>
    public static BaselineHyperparameters DefaultsFor(BaselineMethod method, long? modelParameters = null)
    {
        var defaults = new BaselineHyperparameters { Method = method };
        defaults = method switch
        {
            BaselineMethod.SimNpo => defaults with { Beta = 4.5, Gamma = 0.125 },
            _ => defaults,
        };
        return modelParameters < SmallModelParameterLimit ? defaults with { LearningRate = 1e-4 } : defaults;
    }

    /// <summary>
    /// Applies name=value overrides (case-insensitive; aliases: lr, learning_rate, epochs, batch_size, weight_decay,
    /// warmup_epochs, beta, alpha, gamma, delta, steering_coeff, layer). Unknown names and unparsable values throw
    /// an error naming <paramref name="source"/>.
    /// </summary>
    public BaselineHyperparameters WithOverrides(IReadOnlyDictionary<string, string> overrides, string source = "overrides")
    {
        var result = this;
        foreach (var (name, text) in overrides)
        {
            var key = name.Trim().ToLowerInvariant().Replace('-', '_');
            if (!Setters.TryGetValue(key, out var set))
            {
                throw new ArgumentException(
                    $"{source}: unknown hyperparameter '{name}'; known: {string.Join(", ", Setters.Keys.Order())}.");
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new ArgumentException($"{source}: hyperparameter '{name}' has value '{text}', which is not a number.");
            }
            result = set(result, value);
        }
        result.Validate(source);
        return result;
    }

    /// <summary>Throws when a value is out of range (non-positive lr, epochs, batch or beta; negative weights).</summary>
    public void Validate(string source = "hyperparameters")
    {
        var problems = new List<string>();
        if (LearningRate <= 0) problems.Add($"learning rate {LearningRate} must be positive");
        if (Epochs <= 0) problems.Add($"epochs {Epochs} must be positive");
        if (BatchSize <= 0) problems.Add($"batch size {BatchSize} must be positive");
        if (Beta <= 0) problems.Add($"beta {Beta} must be positive");
        if (Alpha < 0 || Gamma < 0 || WeightDecay < 0 || WarmupEpochs < 0) problems.Add("alpha, gamma, weight decay and warm-up must be non-negative");
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{source}: {string.Join("; ", problems)}.");
        }
    }

    private static readonly Dictionary<string, Func<BaselineHyperparameters, double, BaselineHyperparameters>> Setters = new()
    {
        ["lr"] = (p, v) => p with { LearningRate = v },
        ["learning_rate"] = (p, v) => p with { LearningRate = v },
        ["epochs"] = (p, v) => p with { Epochs = WholeNumber(v, "epochs") },
        ["batch_size"] = (p, v) => p with { BatchSize = WholeNumber(v, "batch_size") },
        ["weight_decay"] = (p, v) => p with { WeightDecay = v },
        ["warmup_epochs"] = (p, v) => p with { WarmupEpochs = WholeNumber(v, "warmup_epochs") },
        ["beta"] = (p, v) => p with { Beta = v },
        ["alpha"] = (p, v) => p with { Alpha = v },
        ["gamma"] = (p, v) => p with { Gamma = v },
        ["delta"] = (p, v) => p with { Delta = v },
        ["steering_coeff"] = (p, v) => p with { SteeringCoefficient = v },
        ["layer"] = (p, v) => p with { RmuLayer = WholeNumber(v, "layer") },
    };

    private static int WholeNumber(double value, string name) =>
        value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new ArgumentException($"hyperparameter '{name}' must be a whole number, got {value.ToString(CultureInfo.InvariantCulture)}.");
}
