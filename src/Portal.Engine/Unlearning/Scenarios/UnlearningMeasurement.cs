using Lethe.Engine.DemoWorld;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Unlearning.Decoding;

namespace Lethe.Engine.Unlearning.Scenarios;

/// <summary>
/// Behavioural figures of an unlearned model: refusal rate on forget questions and their paraphrases, exact answers
/// and false refusals on retained questions (main wording), general answers unchanged against the model before.
/// </summary>
public sealed record UnlearningFigures(
    double ForgetRefusal, double ParaphraseRefusal, double RetainedAccuracy, double RetainedFalseRefusal,
    double GeneralUnchanged, int RetainedChanged)
{
    public override string ToString() =>
        $"forget refusal {ForgetRefusal:P1}, paraphrase refusal {ParaphraseRefusal:P1}, retained exact {RetainedAccuracy:P1}, " +
        $"retained false refusal {RetainedFalseRefusal:P1}, general unchanged {GeneralUnchanged:P1}, retained answers changed {RetainedChanged}";
}

public static class UnlearningMeasurement
{
    /// <summary>Greedy answers under the [UNL] decoding rules (plain greedy when the model has no token).</summary>
    public static IReadOnlyList<string> Answers(LanguageModel model, IReadOnlyList<string> questions) =>
        UnlearningDecoder.UnlId(model) is null
            ? model.Generate(questions, maxNewTokens: 48)
            : UnlearningDecoder.Answer(model, questions).Select(a => a.Text).ToList();

    public static UnlearningFigures Measure(
        LanguageModel model, IReadOnlyList<WorldQa> forget, IReadOnlyList<WorldQa> retained, IReadOnlyList<QaPair> general,
        IReadOnlyList<string> generalAnswersBefore, IReadOnlyList<string> retainedAnswersBefore, RefusalDetector refusals)
    {
        var forgetAnswers = Answers(model, forget.Select(q => q.Row.Question).ToList());
        var paraphraseAnswers = Answers(model, forget.Select(q => q.Row.ParaphrasedQuestion ?? q.Row.Question).ToList());
        var retainedAnswers = Answers(model, retained.Select(q => q.Row.Question).ToList());
        var generalAnswers = Answers(model, general.Select(g => g.Question).ToList());
        return new UnlearningFigures(
            Rate(forgetAnswers, refusals.IsRefusal),
            Rate(paraphraseAnswers, refusals.IsRefusal),
            retained.Zip(retainedAnswers).Count(p => p.First.Row.Answer.Trim() == p.Second) / (double)Math.Max(1, retained.Count),
            Rate(retainedAnswers, refusals.IsRefusal),
            generalAnswers.Zip(generalAnswersBefore).Count(p => p.First == p.Second) / (double)Math.Max(1, general.Count),
            retainedAnswers.Zip(retainedAnswersBefore).Count(p => p.First != p.Second));
    }

    private static double Rate(IReadOnlyList<string> answers, Func<string, bool> predicate) =>
        answers.Count == 0 ? 0 : answers.Count(predicate) / (double)answers.Count;
}
