using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>
/// Baseline unlearning objectives (all minimised), written as in open-unlearning with forget weight gamma and retain
/// weight alpha. NLL_f / NLL_r = mean token cross-entropy on forget / retain batches; S = summed log-likelihood.
/// </summary>
public static class BaselineLosses
{
    /// <summary>GradAscent: -NLL_f.</summary>
    public static Tensor GradAscent(SequenceScores forget) => -forget.MeanNll();

    /// <summary>GradDiff: gamma (-NLL_f) + alpha NLL_r.</summary>
    public static Tensor GradDiff(SequenceScores forget, SequenceScores retain, BaselineHyperparameters settings) =>
        Combine(-forget.MeanNll(), retain, settings);

    /// <summary>NPO: gamma (-(2/beta) mean log sigmoid(-beta (S_theta - S_ref))) + alpha NLL_r; S_ref from the frozen model [b].</summary>
    public static Tensor Npo(
        SequenceScores forget, Tensor referenceLogLikelihood, SequenceScores retain, BaselineHyperparameters settings)
    {
        RequireSameBatch(forget.LogLikelihood, referenceLogLikelihood, "reference log-likelihoods");
        var logRatio = forget.LogLikelihood - referenceLogLikelihood.detach();
        var forgetLoss = nn.functional.logsigmoid(-settings.Beta * logRatio).mean() * (-2.0 / settings.Beta);
        return Combine(forgetLoss, retain, settings);
    }

    /// <summary>SimNPO: gamma (-(2/beta) mean log sigmoid(beta (-S_theta/|y| - delta))) + alpha NLL_r.</summary>
    public static Tensor SimNpo(SequenceScores forget, SequenceScores retain, BaselineHyperparameters settings)
    {
        var margin = -forget.LengthNormalisedLogLikelihood() - settings.Delta;
        var forgetLoss = nn.functional.logsigmoid(settings.Beta * margin).mean() * (-2.0 / settings.Beta);
        return Combine(forgetLoss, retain, settings);
    }

    /// <summary>IdkNLL: gamma NLL(refusal | forget question) + alpha NLL_r.</summary>
    public static Tensor IdkNll(SequenceScores refusalOnForget, SequenceScores retain, BaselineHyperparameters settings) =>
        Combine(refusalOnForget.MeanNll(), retain, settings);

    /// <summary>gamma forgetLoss + alpha NLL_r.</summary>
    private static Tensor Combine(Tensor forgetLoss, SequenceScores retain, BaselineHyperparameters settings) =>
        forgetLoss * settings.Gamma + retain.MeanNll() * settings.Alpha;

    internal static void RequireSameBatch(Tensor expected, Tensor actual, string name)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
        {
            throw new ArgumentException(
                $"The {name} have shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}].");
        }
    }
}
