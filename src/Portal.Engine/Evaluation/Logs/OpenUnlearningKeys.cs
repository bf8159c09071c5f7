using Lethe.Engine.Evaluation.Data;

namespace Lethe.Engine.Evaluation.Logs;

/// <summary>open-unlearning's TOFU metric key names (configs/eval/tofu_metrics) for each of our evaluation sets.</summary>
public static class OpenUnlearningKeys
{
    public const string ModelUtility = "model_utility";
    public const string ForgetQuality = "forget_quality";
    public const string ForgetEfficacy = "forget_efficacy";
    public const string ExtractionStrength = "extraction_strength";
    public const string ExactMemorization = "exact_memorization";
    public const string MinK = "mia_min_k";
    public const string PrivLeak = "privleak";
    public const string FalseRefusalRate = "false_refusal_rate";

    /// <summary>Set name → key prefix: retain, forget, ra, wf, forget_paraphrased (ours: forget metrics on paraphrased questions).</summary>
    public static IReadOnlyDictionary<string, string> Prefixes { get; } = new Dictionary<string, string>
    {
        [EvaluationSetNames.Forget] = "forget",
        [EvaluationSetNames.ForgetParaphrased] = "forget_paraphrased",
        [EvaluationSetNames.Retain] = "retain",
        [EvaluationSetNames.RealAuthors] = "ra",
        [EvaluationSetNames.WorldFacts] = "wf",
    };

    public static string Probability(string prefix) => $"{prefix}_Q_A_Prob";
    public static string NormalisedProbability(string prefix) => $"{prefix}_Q_A_Prob_normalised";
    public static string ParaphrasedProbability(string prefix) => $"{prefix}_Q_A_PARA_Prob";
    public static string PerturbedProbability(string prefix) => $"{prefix}_Q_A_PERT_Prob";
    public static string Rouge(string prefix) => $"{prefix}_Q_A_ROUGE";
    public static string RefusalRate(string prefix) => $"{prefix}_refusal_rate";

    /// <summary>open-unlearning spells the forget set's truth ratio in lower case and the others in title case.</summary>
    public static string TruthRatio(string prefix) => prefix == "forget" ? "forget_truth_ratio" : $"{prefix}_Truth_Ratio";

    public static string Memorisation(string metric, string prefix) => prefix == "forget" ? metric : $"{prefix}_{metric}";
}
