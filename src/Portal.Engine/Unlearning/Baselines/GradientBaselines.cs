using Lethe.Engine.Unlearning.StageOne;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>GradAscent: minimise -NLL_f (no retain term).</summary>
public sealed class GradAscentMethod(BaselineHyperparameters? settings = null, TimeProvider? time = null)
    : BaselineUnlearningMethod(settings, time)
{
    public override BaselineMethod Method => BaselineMethod.GradAscent;

    protected override bool UsesRetain => false;

    protected override BaselineObjective CreateObjective(BaselineRunData data) =>
        new DelegateObjective(step => BaselineLosses.GradAscent(step.Forget.Score(data.Model)));
}

/// <summary>GradDiff: gamma (-NLL_f) + alpha NLL_r.</summary>
public sealed class GradDiffMethod(BaselineHyperparameters? settings = null, TimeProvider? time = null)
    : BaselineUnlearningMethod(settings, time)
{
    public override BaselineMethod Method => BaselineMethod.GradDiff;

    protected override BaselineObjective CreateObjective(BaselineRunData data) =>
        new DelegateObjective(step => BaselineLosses.GradDiff(
            step.Forget.Score(data.Model), step.Retain!.Score(data.Model), data.Settings));
}

/// <summary>SimNPO: gamma (-(2/beta) mean log sigmoid(beta (-S_theta/|y| - delta))) + alpha NLL_r.</summary>
public sealed class SimNpoMethod(BaselineHyperparameters? settings = null, TimeProvider? time = null)
    : BaselineUnlearningMethod(settings, time)
{
    public override BaselineMethod Method => BaselineMethod.SimNpo;

    protected override BaselineObjective CreateObjective(BaselineRunData data) =>
        new DelegateObjective(step => BaselineLosses.SimNpo(
            step.Forget.Score(data.Model), step.Retain!.Score(data.Model), data.Settings));
}

/// <summary>
/// IdkNLL: gamma NLL(refusal | forget question) + alpha NLL_r. Each forget question is paired with one sentence of
/// <see cref="UnlearningRequest.Refusals"/>, chosen by a seeded hash of the question (<see cref="RefusalChooser"/>).
/// </summary>
public sealed class IdkNllMethod(BaselineHyperparameters? settings = null, TimeProvider? time = null)
    : BaselineUnlearningMethod(settings, time)
{
    public override BaselineMethod Method => BaselineMethod.IdkNll;

    protected override IReadOnlyList<QaPair> ForgetTargets(UnlearningRequest request)
    {
        if (request.Refusals.Count == 0)
        {
            throw new ArgumentException($"idknll: request '{request.RequestId}' has no refusal sentences to train towards.");
        }
        var chooser = new RefusalChooser(request.Refusals, request.Seed);
        return request.Forget.Select(pair => new QaPair(pair.Question, chooser.ChooseFor(pair.Question))).ToList();
    }

    protected override BaselineObjective CreateObjective(BaselineRunData data) =>
        new DelegateObjective(step => BaselineLosses.IdkNll(
            step.Forget.Score(data.Model), step.Retain!.Score(data.Model), data.Settings));
}

/// <summary>An objective that is only a loss function of the step (every parameter trains).</summary>
internal sealed class DelegateObjective(Func<BaselineStep, Tensor> loss) : BaselineObjective
{
    public override Tensor Loss(BaselineStep step) => loss(step);
}
