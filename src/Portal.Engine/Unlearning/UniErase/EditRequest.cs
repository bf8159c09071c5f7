namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>Where a request's key is read: the last token of the subject in the prompt, or the last prompt token.</summary>
public enum KeyPosition
{
    SubjectLast,
    PromptLast,
}

/// <summary>
/// One Stage II request: make [UNL] the first answer token of <see cref="Question"/>. With
/// <see cref="KeyPosition.SubjectLast"/> the key sits on the subject's last token (falls back to the prompt's last
/// token when the subject is absent from the question).
/// </summary>
public sealed record EditRequest(string Id, string Question, string? Subject, KeyPosition Position)
{
    /// <summary>
    /// The answer the model gave before it was asked to forget (the forget QA's answer), when known: only ever a draft the
    /// edit's greedy decoding checks first (<see cref="Modeling.Inference.DraftedGreedy"/>), never a target.
    /// </summary>
    public string? Answer { get; init; }

    public static IReadOnlyList<EditRequest> ForQuestions(IEnumerable<(string Question, string? Subject)> questions, KeyPosition position) =>
        ForQuestions(questions.Select(q => (q.Question, q.Subject, (string?)null)), position);

    /// <summary>Requests q1, q2, ... with the answers the model gave before (<see cref="Answer"/>) where known.</summary>
    public static IReadOnlyList<EditRequest> ForQuestions(IEnumerable<(string Question, string? Subject, string? Answer)> questions, KeyPosition position) =>
        questions.Select((q, i) => new EditRequest($"q{i + 1}", q.Question, q.Subject, position) { Answer = q.Answer }).ToList();
}
