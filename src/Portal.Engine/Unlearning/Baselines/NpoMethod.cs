using Lethe.Engine.Modeling;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>
/// NPO: gamma (-(2/beta) mean log sigmoid(-beta (S_theta(y|x) - S_ref(y|x)))) + alpha NLL_r. The reference is the model
/// before unlearning, frozen: S_ref of every forget item is computed once, before the first step, so no second copy
/// of the model is kept.
/// </summary>
public sealed class NpoMethod(BaselineHyperparameters? settings = null, TimeProvider? time = null)
    : BaselineUnlearningMethod(settings, time)
{
    public override BaselineMethod Method => BaselineMethod.Npo;

    protected override BaselineObjective CreateObjective(BaselineRunData data)
    {
        var reference = ReferenceLogLikelihoods(data.Model, data.Forget, data.PadId, data.Settings.BatchSize);
        return new DelegateObjective(step =>
        {
            var referenceBatch = tensor(step.ForgetIndices.Select(i => reference[i]).ToArray());  // S_ref [b]
            return BaselineLosses.Npo(step.Forget.Score(data.Model), referenceBatch, step.Retain!.Score(data.Model), data.Settings);
        });
    }

    /// <summary>S_ref(y|x) per item [F] under the model as it is now (no gradient).</summary>
    public static float[] ReferenceLogLikelihoods(LlamaForCausalLM model, IReadOnlyList<PromptAnswer> items, int padId, int batchSize)
    {
        using var noGrad = no_grad();
        var result = new List<float>(items.Count);
        foreach (var chunk in items.Chunk(Math.Max(1, batchSize)))
        {
            using var scope = NewDisposeScope();
            using var batch = LabelledBatch.Build(chunk, padId);
            result.AddRange(batch.Score(model).LogLikelihood.data<float>().ToArray());
        }
        return [.. result];
    }
}
