using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Evaluation.Text;
using Lethe.Engine.Unlearning.Decoding;
using Lethe.Engine.Unlearning.Diagnostics;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>Greedy answers of one model version to the sampled retained questions (an edit's "before").</summary>
public sealed record SampledAnswers(IReadOnlyList<string> Questions, IReadOnlyList<string> Answers);

/// <summary>
/// The behaviour checks of an edited model (<see cref="EditChecks.After"/>): its behaviour, its answers to the sampled
/// retained questions (the next edit's "before"), whether each request's question starts with [UNL], and the gate's verdict
/// on the behaviour (the reasons it fails, empty when it passes).
/// </summary>
internal sealed record EditCheck(
    EditBehaviour Behaviour, IReadOnlyList<string> RetainedAnswersAfter, IReadOnlyDictionary<EditRequest, bool> StartsWithUnl, IReadOnlyList<string> Failures,
    string? Suggestion)
{
    public bool Passed => Failures.Count == 0;

    /// <summary>The edit's gate decision with this check's failures added.</summary>
    public GateDecision Apply(GateDecision gate) =>
        Passed ? gate : new GateDecision(false, [.. gate.Reasons, .. Failures], Suggestion ?? gate.Suggestion);
}

/// <summary>Behaviour of an edited model on the forget prompts and the retained questions (see <see cref="EditBehaviour"/>).</summary>
internal static class EditChecks
{
    private const int RetainedSample = 200;

    /// <summary>Retained questions whose whole answer is compared before and after the edit.</summary>
    public const int AnswerSample = 60;

    /// <summary>Greedy answers (under the [UNL] rules) to the first <see cref="AnswerSample"/> retained questions.</summary>
    public static IReadOnlyList<string> RetainedAnswers(LanguageModel model, PreservationCorpus corpus) => AnswersTo(model, SampledQuestions(corpus));

    /// <summary>Greedy answers (under the [UNL] rules) to <paramref name="questions"/>, in order.</summary>
    public static IReadOnlyList<string> AnswersTo(LanguageModel model, IReadOnlyList<string> questions) =>
        questions.Count == 0 ? [] : UnlearningDecoder.Answer(model, questions).Select(a => a.Text).ToList();

    /// <summary>The first <see cref="AnswerSample"/> retained questions.</summary>
    public static IReadOnlyList<string> SampledQuestions(PreservationCorpus corpus) =>
        corpus.Retained.Take(AnswerSample).Select(p => p.Question).ToList();

    /// <summary>
    /// The edited model's behaviour, its greedy answers to the sampled retained questions (the next edit's "before") and to
    /// the forget prompts.
    /// The answers expected -- <paramref name="forgetDrafts"/> ([UNL] + refusal, then the answer before) on the forget prompts, the answers before
    /// on the retained questions -- are checked first (<see cref="UnlearningDecoder.Decode(LanguageModel, IReadOnlyList{int[]}, IReadOnlyList{IReadOnlyList{int[]}}, int)"/>:
    /// the same greedy answers, one forward pass where they hold).
    /// </summary>
    public static (EditBehaviour Behaviour, IReadOnlyList<string> RetainedAnswersAfter, IReadOnlyList<UnlearnedAnswer> ForgetAnswers) Measure(
        LanguageModel model, IReadOnlyList<IReadOnlyList<int>> forgetPrompts, IReadOnlyList<IReadOnlyList<int[]>> forgetDrafts, PreservationCorpus corpus,
        RefusalDetector refusals, IReadOnlyList<string> retainedAnswersBefore)
    {
        var forget = UnlearningDecoder.Decode(model, forgetPrompts.Select(p => p.ToArray()).ToList(), forgetDrafts);
        var started = forget.Where(a => a.StartedWithUnl).ToList();
        var answered = UnlearningDecoder.Decode(
            model, SampledQuestions(corpus).Select(model.EncodePrompt).ToList(), retainedAnswersBefore.Select(a => (IReadOnlyList<int[]>)[model.Format.EncodeAnswer(model.Tokenizer, a)]).ToList());
        var retainedAfter = answered.Select(a => a.Text).ToList();
        // The first tokens of the retained sample: the answered questions' (the sample's first AnswerSample) and one step for the rest.
        var firstOnly = corpus.Retained.Take(RetainedSample).Skip(answered.Count).Select(p => model.EncodePrompt(p.Question)).ToList();
        var retained = answered.Concat(firstOnly.Count == 0 ? [] : UnlearningDecoder.Decode(model, firstOnly, maxNewTokens: 1)).ToList();
        var rouge = new RougeScorer();
        return (new EditBehaviour(
            Share(forget.Count(a => a.StartedWithUnl), forget.Count),
            Share(forget.Count(a => refusals.IsRefusal(a.Text)), forget.Count),
            Share(retained.Count(a => a.StartedWithUnl), retained.Count),
            Share(started.Count(a => !refusals.IsRefusal(a.Text)), started.Count))
        {
            RetainedChangedRate = Share(retainedAfter.Zip(retainedAnswersBefore).Count(p => p.First != p.Second), retainedAnswersBefore.Count),
            RetainedSimilarity = retainedAnswersBefore.Count == 0 ? 1 : retainedAnswersBefore.Zip(retainedAfter).Average(p => rouge.RougeLRecall(p.First, p.Second)),
        }, retainedAfter, forget);
    }

    /// <summary>
    /// The checks of the edited model on the requests' questions and the sampled retained questions, and the behaviour
    /// gate: [UNL] first on more retained questions than <see cref="UniEraseSettings.MaxRetainedFalseUnlRate"/>, or more
    /// retained answers changed than <see cref="UniEraseSettings.MaxRetainedChangedRate"/>, fails it. The forget answers
    /// are drafted as [UNL] + <paramref name="refusal"/>, then the QA's answer.
    /// </summary>
    public static EditCheck After(
        LanguageModel model, IReadOnlyList<EditRequest> requests, PreservationCorpus corpus, RefusalDetector refusals,
        IReadOnlyList<string> retainedAnswersBefore, string? refusal, UniEraseSettings settings)
    {
        var unl = UnlearningDecoder.UnlId(model) ?? throw new InvalidOperationException("The model has no [UNL] token.");
        int[] expected = [unl, .. string.IsNullOrEmpty(refusal) ? [] : model.Format.EncodeAnswer(model.Tokenizer, refusal)];
        var drafts = requests.Select(r => (IReadOnlyList<int[]>)(r.Answer is { } answer ? [expected, model.Format.EncodeAnswer(model.Tokenizer, answer)] : [expected])).ToList();
        var (behaviour, retainedAfter, forgetAnswers) = Measure(
            model, requests.Select(r => (IReadOnlyList<int>)model.EncodePrompt(r.Question)).ToList(), drafts, corpus, refusals, retainedAnswersBefore);
        var failures = new List<string>();
        string? suggestion = null;
        if (behaviour.RetainedFalseUnlRate > settings.MaxRetainedFalseUnlRate)
        {
            failures.Add($"[UNL] came first on {behaviour.RetainedFalseUnlRate:P1} of retained questions (limit {settings.MaxRetainedFalseUnlRate:P1})");
            suggestion = "raise lambda, lower the relative eigenvalue threshold, or use prompt-last keys";
        }
        if (behaviour.RetainedChangedRate > settings.MaxRetainedChangedRate)
        {
            failures.Add($"the edit changed {behaviour.RetainedChangedRate:P0} of the sampled retained answers (limit {settings.MaxRetainedChangedRate:P0})");
            suggestion = "raise lambda, edit fewer or lower layers, forget fewer QAs per request, or use another method";
        }
        var starts = requests.Zip(forgetAnswers).DistinctBy(pair => pair.First).ToDictionary(pair => pair.First, pair => pair.Second.StartedWithUnl);
        return new EditCheck(behaviour, retainedAfter, starts, failures, suggestion);
    }

    private static double Share(int count, int total) => total == 0 ? 0 : count / (double)total;
}
