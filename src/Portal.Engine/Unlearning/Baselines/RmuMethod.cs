using Lethe.Engine.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>
/// RMU (Li et al., WMDP): at layer l (default the middle one) steer the residual stream of forget tokens toward a
/// fixed random control vector c u and keep retain tokens where the model before unlearning had them
/// (<see cref="RmuLoss"/>). As in the paper, only the MLP down_proj weights of layers l-2, l-1 and l train.
/// Tokens counted: the positions that predict answer tokens (last prompt token .. last answer token).
/// </summary>
public sealed class RmuMethod(BaselineHyperparameters? settings = null, TimeProvider? time = null)
    : BaselineUnlearningMethod(settings, time)
{
    public override BaselineMethod Method => BaselineMethod.Rmu;

    /// <summary>The steered layer: the setting, or the middle layer when it is -1.</summary>
    public static int SteeredLayer(LlamaForCausalLM model, BaselineHyperparameters settings)
    {
        var layer = settings.RmuLayer < 0 ? model.LayerCount / 2 : settings.RmuLayer;
        return layer < model.LayerCount
            ? layer
            : throw new ArgumentException($"rmu: layer {layer} does not exist; the model has layers 0..{model.LayerCount - 1}.");
    }

    /// <summary>Layers whose MLP trains: l-2 .. l (clipped at 0).</summary>
    public static IReadOnlyList<int> TrainedLayers(int steeredLayer) =>
        Enumerable.Range(Math.Max(0, steeredLayer - 2), Math.Min(3, steeredLayer + 1)).ToList();

    protected override BaselineObjective CreateObjective(BaselineRunData data) => new RmuObjective(data);

    private sealed class RmuObjective : BaselineObjective
    {
        private readonly BaselineRunData _data;
        private readonly int _layer;
        private readonly List<Parameter> _trained;
        private readonly List<Tensor> _originals;
        private readonly Tensor _control;  // c u [d]
        private readonly List<Tensor> _captured = [];  // last step's activations, freed once its backward has run

        public RmuObjective(BaselineRunData data)
        {
            _data = data;
            _layer = SteeredLayer(data.Model, data.Settings);
            _trained = TrainedLayers(_layer).Select(data.Model.DownProjWeight).ToList();
            using (no_grad())
            {
                _originals = _trained.Select(p => p.detach().clone()).ToList();
            }
            _control = RmuLoss.ControlVector(data.Model.Config.HiddenSize, data.Settings.SteeringCoefficient, data.Seed);
        }

        public override IReadOnlyList<Parameter> TrainableParameters(LlamaForCausalLM model) => _trained;

        public override Tensor Loss(BaselineStep step)
        {
            ReleaseCaptured();
            // The frozen pass swaps weights in place, so it must run before the passes whose graph saves them.
            var frozenRetain = FrozenActivations(step.Retain!);
            var forget = Activations(step.Forget);
            var retain = Activations(step.Retain!);
            return RmuLoss.Compute(forget, PredictingMask(step.Forget), _control,
                retain, frozenRetain, PredictingMask(step.Retain!), _data.Settings);
        }

        /// <summary>Layer l's output [b, t, d] under the current weights (with gradient).</summary>
        private Tensor Activations(LabelledBatch batch)
        {
            var hooks = new ForwardHooks();
            hooks.CaptureLayerOutputAt.Add(_layer);
            _data.Model.Hidden(batch.InputIds, batch.AttentionMask, hooks).Dispose();
            var output = hooks.LayerOutputs[_layer];
            _captured.Add(output);
            return output;
        }

        /// <summary>Layer l's output [b, t, d] with the trained weights swapped back to their values before unlearning.</summary>
        private Tensor FrozenActivations(LabelledBatch batch)
        {
            using var noGrad = no_grad();
            var current = _trained.Select(p => p.detach().clone()).ToList();
            try
            {
                _trained.Zip(_originals).ToList().ForEach(pair => pair.First.copy_(pair.Second));
                return Activations(batch);
            }
            finally
            {
                _trained.Zip(current).ToList().ForEach(pair => pair.First.copy_(pair.Second));
                current.ForEach(t => t.Dispose());
            }
        }

        /// <summary>mask[b, t] = 1 where position t predicts an answer token (labels[b, t+1] supervised).</summary>
        private static Tensor PredictingMask(LabelledBatch batch)
        {
            var answers = batch.AnswerMask();                 // [b, L]
            var shifted = answers[.., 1..];                    // [b, L-1]
            return nn.functional.pad(shifted, [0, 1]);         // [b, L]
        }

        private void ReleaseCaptured()
        {
            _captured.ForEach(t => t.Dispose());
            _captured.Clear();
        }

        public override void Dispose()
        {
            ReleaseCaptured();
            _originals.ForEach(t => t.Dispose());
            _control.Dispose();
            base.Dispose();
        }
    }
}
