namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>
/// Picks the Stage I refusal targets the model can already say: one embedding row cannot teach a small model a new
/// sentence, so each refusal of the list is scored by its summed NLL (-log P of the whole sentence) as the answer to
/// probe questions (model format), and the <c>count</c> most likely are kept (list order breaks ties). The sum, not the
/// mean per token: a long sentence's easy later tokens must not hide an unlikely start. Deterministic.
/// </summary>
public static class RefusalTargetSelection
{
    public static IReadOnlyList<string> MostLikely(LanguageModel model, IReadOnlyList<string> refusals, IReadOnlyList<string> probeQuestions, int count, int probes = 8)
    {
        if (count <= 0 || count >= refusals.Count || probeQuestions.Count == 0)
        {
            return refusals;
        }
        var sample = Enumerable.Range(0, Math.Min(probes, probeQuestions.Count)).Select(i => probeQuestions[i * probeQuestions.Count / Math.Min(probes, probeQuestions.Count)]).ToList();
        var pairs = refusals.SelectMany(refusal => sample.Select(question => new QaPair(question, refusal))).ToList();
        var scores = model.Score(pairs);
        return refusals
            .Select((refusal, index) => (refusal, index, loss: scores.Skip(index * sample.Count).Take(sample.Count).Average(s => s.SummedLoss)))
            .OrderBy(r => r.loss).ThenBy(r => r.index).Take(count).Select(r => r.refusal).ToList();
    }
}
