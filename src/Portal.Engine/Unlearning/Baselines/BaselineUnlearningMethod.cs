using System.Globalization;
using Lethe.Engine.Modeling;
using Lethe.Engine.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>
/// The training loop every gradient baseline shares: encode forget targets and retain items, let the method build its
/// objective, then for each step of the <see cref="BaselineBatchPlan"/> minimise the objective on one forget batch
/// (interleaved with one retain batch) with AdamW (HF defaults: betas 0.9/0.999, clip 1.0), warm-up for
/// <see cref="BaselineHyperparameters.WarmupEpochs"/> then cosine decay. Only the objective's trainable parameters
/// change; the rest are frozen for the run. Cancellation stops between steps (the model keeps the steps taken).
/// </summary>
public abstract class BaselineUnlearningMethod(BaselineHyperparameters? settings, TimeProvider? time) : IUnlearningMethod
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public abstract BaselineMethod Method { get; }

    public string Name => Method.ToString().ToLowerInvariant();

    /// <summary>Fixed settings, or null to use <see cref="BaselineHyperparameters.DefaultsFor"/> the model's size.</summary>
    public BaselineHyperparameters? Settings { get; } = settings;

    /// <summary>name=value overrides applied on top of <see cref="Settings"/> or the defaults (checked when set).</summary>
    public IReadOnlyDictionary<string, string> Overrides
    {
        get => _overrides;
        init
        {
            (Settings ?? BaselineHyperparameters.DefaultsFor(Method)).WithOverrides(value, $"{Name} hyperparameters");
            _overrides = value;
        }
    }

    private readonly IReadOnlyDictionary<string, string> _overrides = new Dictionary<string, string>();

    /// <summary>Whether steps draw retain batches (GradAscent does not).</summary>
    protected virtual bool UsesRetain => true;

    /// <summary>The (question, target) pairs trained on the forget side; IdkNLL swaps the answers for refusals.</summary>
    protected virtual IReadOnlyList<QaPair> ForgetTargets(UnlearningRequest request) => request.Forget;

    protected abstract BaselineObjective CreateObjective(BaselineRunData data);

    /// <summary>The settings a run on <paramref name="model"/> uses: fixed or size-dependent defaults, then the overrides.</summary>
    public BaselineHyperparameters SettingsFor(LanguageModel model) =>
        (Settings ?? BaselineHyperparameters.DefaultsFor(Method, CountParameters(model.Model.parameters())))
            .WithOverrides(Overrides, $"{Name} hyperparameters");

    public UnlearningOutcome Run(
        LanguageModel model, UnlearningRequest request, IProgress<UnlearningProgress>? progress, CancellationToken cancellationToken)
    {
        Validate(request);
        TorchRuntime.Initialise();
        var settings = SettingsFor(model);
        var started = _time.GetTimestamp();
        var forget = ForgetTargets(request).Select(model.Encode).ToList();
        var retain = UsesRetain ? request.Retain.Select(model.Encode).ToList() : [];
        var network = model.Model;
        var data = new BaselineRunData(network, forget, retain, model.Tokenizer.PadId, settings, request.Seed);
        using var objective = CreateObjective(data);
        var prepareSeconds = _time.GetElapsedTime(started).TotalSeconds;

        var trainable = objective.TrainableParameters(network);
        var plan = new BaselineBatchPlan(forget.Count, retain.Count, settings.BatchSize, settings.Epochs, request.Seed);
        var trainStarted = _time.GetTimestamp();
        var losses = Train(network, trainable, objective, data, plan, progress, cancellationToken);
        var stageSeconds = new Dictionary<string, double>
        {
            ["prepare"] = prepareSeconds,
            ["train"] = _time.GetElapsedTime(trainStarted).TotalSeconds,
        };
        var details = new Dictionary<string, object?>
        {
            ["steps"] = plan.TotalSteps,
            ["first_loss"] = losses.FirstOrDefault(),
            ["final_loss"] = losses.LastOrDefault(),
            ["hyperparameters"] = settings,
            ["trained_tensors"] = trainable.Count,
        };
        return new UnlearningOutcome(Name, model, stageSeconds, CountParameters(trainable), CountParameters(network.parameters()), details);
    }

    private List<double> Train(
        LlamaForCausalLM network, IReadOnlyList<Parameter> trainable, BaselineObjective objective, BaselineRunData data,
        BaselineBatchPlan plan, IProgress<UnlearningProgress>? progress, CancellationToken cancellationToken)
    {
        var optimiserSettings = new OptimiserSettings
        {
            LearningRate = data.Settings.LearningRate,
            WeightDecay = data.Settings.WeightDecay,
            WarmupFraction = (double)data.Settings.WarmupEpochs / data.Settings.Epochs,
            Beta2 = 0.999,
        };
        var trainableHandles = trainable.Select(p => p.Handle).ToHashSet();
        var frozen = network.parameters().Where(p => p.requires_grad && !trainableHandles.Contains(p.Handle)).ToList();
        frozen.ForEach(p => p.requires_grad = false);
        var losses = new List<double>(plan.TotalSteps);
        try
        {
            using var optimiser = new ParameterOptimiser(trainable, optimiserSettings, plan.TotalSteps);
            network.train();
            foreach (var step in plan.Steps())
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var forgetBatch = LabelledBatch.Build(step.Forget.Select(i => data.Forget[i]).ToList(), data.PadId);
                using var retainBatch = step.Retain.Length == 0 ? null : LabelledBatch.Build(step.Retain.Select(i => data.Retain[i]).ToList(), data.PadId);
                var loss = optimiser.Step(() => objective.Loss(new BaselineStep(forgetBatch, step.Forget, retainBatch)));
                losses.Add(loss);
                progress?.Report(new UnlearningProgress(Name, losses.Count, plan.TotalSteps, loss));
            }
        }
        finally
        {
            network.eval();
            frozen.ForEach(p => p.requires_grad = true);
        }
        return losses;
    }

    private void Validate(UnlearningRequest request)
    {
        if (request.Forget.Count == 0)
        {
            throw new ArgumentException($"{Name}: request '{request.RequestId}' has no forget items.");
        }
        if (UsesRetain && request.Retain.Count == 0)
        {
            throw new ArgumentException($"{Name}: request '{request.RequestId}' has no retain items; {Name} trains on a retain set.");
        }
        if (request.Forget.Concat(request.Retain).FirstOrDefault(p => string.IsNullOrWhiteSpace(p.Question) || string.IsNullOrWhiteSpace(p.Answer)) is { } blank)
        {
            throw new ArgumentException($"{Name}: request '{request.RequestId}' has a blank question or answer ('{blank.Question}').");
        }
    }

    public static long CountParameters(IEnumerable<Tensor> parameters) => parameters.Sum(p => p.numel());

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Settings?.ToString() ?? "defaults"})");
}
