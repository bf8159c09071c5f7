using Lethe.Engine.Evaluation.Data;

namespace Lethe.Engine.Evaluation.Metrics;

/// <summary>
/// What the model runner measures for one evaluation item; every metric is a function of these numbers.
/// Mean losses are L = −(1/T) Σ_t log p(y_t | x, y_&lt;t) over the answer tokens (+EOS).
/// </summary>
public sealed record ItemScores
{
    /// <summary>Item key as the logs write it ("0", "1", …).</summary>
    public required string Index { get; init; }

    /// <summary>L(answer | question).</summary>
    public required double MeanLossTrue { get; init; }

    /// <summary>L(paraphrased_answer | question): the truth ratio's correct answer. Null = use <see cref="MeanLossTrue"/> (real authors / world facts in a live run; legacy TOFU logs store their own value for these sets and the published numbers use it).</summary>
    public double? MeanLossParaphrased { get; init; }

    /// <summary>L(perturbed_answer_k | question) for each wrong answer k.</summary>
    public IReadOnlyList<double> MeanLossPerturbed { get; init; } = [];

    public string? Prompt { get; init; }

    /// <summary>Greedy generation, special tokens stripped, trimmed.</summary>
    public string? Generation { get; init; }

    /// <summary>The answer the generation is compared with.</summary>
    public string? GroundTruth { get; init; }

    /// <summary>ROUGE-L recall stored in a log being re-scored (null when the item comes from a live run).</summary>
    public double? StoredRougeLRecall { get; init; }

    /// <summary>log p(y_t | …) per answer token (EOS excluded), for Min-K% Prob; shape [T].</summary>
    public IReadOnlyList<double>? AnswerTokenLogProbs { get; init; }

    /// <summary>Teacher-forced argmax == label per answer token (EOS excluded), for ES and EM; shape [T].</summary>
    public IReadOnlyList<bool>? ArgmaxMatchesLabel { get; init; }

    public double CorrectAnswerLoss => MeanLossParaphrased ?? MeanLossTrue;
}

/// <summary>The per-item scores of one evaluation set (e.g. "forget", "forget_paraphrased", "real_authors").</summary>
public sealed record EvaluationSetScores(string Name, EvaluationSetKind Kind, IReadOnlyList<ItemScores> Items)
{
    public static EvaluationSetScores Create(string name, IReadOnlyList<ItemScores> items) =>
        new(name, EvaluationSetNames.KindOf(name), items);
}
