namespace Lethe.Engine.Evaluation.Data;

/// <summary>One TOFU-format row. Fields a file does not carry are null (strings) or empty (lists).</summary>
public sealed record TofuItem(
    string Question,
    string Answer,
    string? ParaphrasedQuestion = null,
    string? ParaphrasedAnswer = null,
    IReadOnlyList<string>? PerturbedAnswers = null,
    IReadOnlyList<string>? Options = null)
{
    public IReadOnlyList<string> PerturbedAnswerList => PerturbedAnswers ?? [];
}

/// <summary>The TOFU evaluation sets and how each is scored.</summary>
public enum EvaluationSetKind
{
    /// <summary>Retained authors: plain probability, truth ratio transform max(0, 1 − R).</summary>
    Retain,
    /// <summary>Forget set (and its paraphrased-question variant): plain probability, transform min(R, 1/R).</summary>
    Forget,
    /// <summary>Real authors / world facts: probability normalised over true + perturbed answers, max(0, 1 − R).</summary>
    MultipleChoice,
    /// <summary>Non-member authors for membership inference; no TOFU metric of its own.</summary>
    Holdout,
}

/// <summary>Canonical evaluation-set names as reports and JSON use them.</summary>
public static class EvaluationSetNames
{
    public const string Retain = "retain";
    public const string Forget = "forget";
    public const string ForgetParaphrased = "forget_paraphrased";
    public const string RealAuthors = "real_authors";
    public const string WorldFacts = "world_facts";
    public const string Holdout = "holdout";

    /// <summary>The three sets whose Probability, ROUGE-L and Truth Ratio make up model utility.</summary>
    public static IReadOnlyList<string> UtilitySets { get; } = [Retain, RealAuthors, WorldFacts];

    public static EvaluationSetKind KindOf(string name) => name switch
    {
        Retain => EvaluationSetKind.Retain,
        Forget or ForgetParaphrased => EvaluationSetKind.Forget,
        RealAuthors or WorldFacts => EvaluationSetKind.MultipleChoice,
        Holdout => EvaluationSetKind.Holdout,
        _ => throw new ArgumentException(
            $"Unknown evaluation set '{name}'; expected {Retain}, {Forget}, {ForgetParaphrased}, {RealAuthors}, {WorldFacts} or {Holdout}.",
            nameof(name)),
    };
}
