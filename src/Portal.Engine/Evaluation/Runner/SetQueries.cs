using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Modeling.Inference;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>
/// What the model must be asked for one set, and how the answers become <see cref="ItemScores"/>:
/// <list type="bullet">
/// <item>question q = the item's question (forget_paraphrased: its paraphrased_question);</item>
/// <item>greedy generation for q (not for the holdout set, which only feeds Min-K%);</item>
/// <item>teacher-forced L(answer | q), and for forget / retain sets L(paraphrased_answer | q) — the truth ratio's
/// correct answer; real authors / world facts use the plain answer —, and L(perturbed_k | q) for every wrong answer.</item>
/// </list>
/// </summary>
internal sealed class SetQueries
{
    private readonly EvaluationSetItems _set;
    private readonly int[] _firstPair;

    public SetQueries(EvaluationSetItems set)
    {
        _set = set;
        Questions = set.Items.Select(Question).ToList();
        var pairs = new List<QaPair>();
        _firstPair = new int[set.Items.Count];
        for (var i = 0; i < set.Items.Count; i++)
        {
            _firstPair[i] = pairs.Count;
            pairs.AddRange(AnswersToScore(set.Items[i]).Select(answer => new QaPair(Questions[i], answer)));
        }
        Pairs = pairs;
    }

    public IReadOnlyList<string> Questions { get; }

    /// <summary>Every (question, answer) pair to score, item by item: answer, [paraphrased answer], perturbed answers.</summary>
    public IReadOnlyList<QaPair> Pairs { get; }

    public bool Generates => _set.Kind != EvaluationSetKind.Holdout;

    private bool UsesParaphrasedAnswer(TofuItem item) =>
        _set.Kind is EvaluationSetKind.Forget or EvaluationSetKind.Retain && item.ParaphrasedAnswer is not null;

    /// <summary>Assembles the per-item scores from the scores of <see cref="Pairs"/> (same order) and the generations (or null).</summary>
    public EvaluationSetScores Assemble(IReadOnlyList<AnswerScore> scores, IReadOnlyList<string>? generations, Func<string, string> renderPrompt)
    {
        var items = new List<ItemScores>(_set.Items.Count);
        for (var i = 0; i < _set.Items.Count; i++)
        {
            var item = _set.Items[i];
            var next = _firstPair[i];
            var truth = scores[next++];
            double? paraphrased = UsesParaphrasedAnswer(item) ? scores[next++].MeanLoss : null;
            var perturbed = WrongAnswers(item).Select(_ => scores[next++].MeanLoss).ToList();
            var answerTokens = truth.TokenCount - 1; // EOS excluded from Min-K%, ES and EM
            items.Add(new ItemScores
            {
                Index = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                MeanLossTrue = truth.MeanLoss,
                MeanLossParaphrased = paraphrased,
                MeanLossPerturbed = perturbed,
                Prompt = renderPrompt(Questions[i]),
                Generation = generations?[i],
                GroundTruth = generations is null ? null : item.Answer,
                AnswerTokenLogProbs = truth.TokenLogProbs.Take(answerTokens).Select(lp => (double)lp).ToList(),
                ArgmaxMatchesLabel = truth.TokenIsArgmax.Take(answerTokens).ToList(),
            });
        }
        return new EvaluationSetScores(_set.Name, _set.Kind, items);
    }

    private string Question(TofuItem item) =>
        _set.Name == EvaluationSetNames.ForgetParaphrased ? item.ParaphrasedQuestion! : item.Question;

    private IEnumerable<string> AnswersToScore(TofuItem item)
    {
        yield return item.Answer;
        if (UsesParaphrasedAnswer(item))
        {
            yield return item.ParaphrasedAnswer!;
        }
        foreach (var wrong in WrongAnswers(item))
        {
            yield return wrong;
        }
    }

    /// <summary>The perturbed answers scored for the truth ratio (none for the holdout set).</summary>
    private IReadOnlyList<string> WrongAnswers(TofuItem item) =>
        _set.Kind == EvaluationSetKind.Holdout ? [] : item.PerturbedAnswerList;
}
