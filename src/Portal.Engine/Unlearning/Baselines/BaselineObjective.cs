using Lethe.Engine.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>One optimisation step's batches: forget items (with their indices into the run's forget list) and retain items.</summary>
public sealed record BaselineStep(LabelledBatch Forget, int[] ForgetIndices, LabelledBatch? Retain);

/// <summary>The run-wide inputs an objective may prepare from: the encoded forget targets and retain items.</summary>
public sealed record BaselineRunData(
    LlamaForCausalLM Model, IReadOnlyList<PromptAnswer> Forget, IReadOnlyList<PromptAnswer> Retain, int PadId,
    BaselineHyperparameters Settings, long Seed);

/// <summary>
/// A baseline's loss for one run (created per run, so per-run state such as NPO's reference log-likelihoods or RMU's
/// frozen weights lives here), and the parameters it trains.
/// </summary>
public abstract class BaselineObjective : IDisposable
{
    /// <summary>The scalar loss to minimise on this step.</summary>
    public abstract Tensor Loss(BaselineStep step);

    /// <summary>Parameters the optimiser updates; all of the model's unless the method says otherwise.</summary>
    public virtual IReadOnlyList<Parameter> TrainableParameters(LlamaForCausalLM model) => model.parameters().ToList();

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
