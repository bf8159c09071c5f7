using Lethe.Engine.Evaluation.Text;

namespace Lethe.Engine.Training.Qa;

/// <summary>One question the model did not reproduce well enough.</summary>
public sealed record MemorisationMiss(string Question, string Expected, string Generated, double RougeLRecall);

/// <summary>Outcome of a <see cref="MemorisationCheck"/>: Share = Passed / Total.</summary>
public sealed record MemorisationReport(int Total, int Passed, double Share, double MeanRougeLRecall, double Threshold, IReadOnlyList<MemorisationMiss> Misses)
{
    public bool Reaches(double bar) => Share >= bar;
}

/// <summary>
/// Has the model memorised its training answers? Each question is answered greedily; it passes when
/// ROUGE-L recall(expected answer, generated) >= threshold (the evaluation's exact <see cref="RougeScorer"/>).
/// </summary>
public static class MemorisationCheck
{
    public const double DefaultThreshold = 0.9;

    public static MemorisationReport Measure(LanguageModel model, IReadOnlyList<QaPair> pairs, double threshold = DefaultThreshold, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (pairs.Count == 0)
        {
            return new MemorisationReport(0, 0, 0, 0, threshold, []);
        }
        var scorer = new RougeScorer();
        var longestAnswer = pairs.Max(p => model.Format.EncodeAnswer(model.Tokenizer, p.Answer).Length);
        var generated = model.Generate(pairs.Select(p => p.Question).ToList(), longestAnswer + 8, batchSize);
        var recalls = pairs.Select((p, i) => scorer.RougeLRecall(p.Answer, generated[i])).ToArray();
        var misses = pairs.Select((p, i) => new MemorisationMiss(p.Question, p.Answer, generated[i], recalls[i]))
            .Where(m => m.RougeLRecall < threshold).ToList();
        var passed = pairs.Count - misses.Count;
        return new MemorisationReport(pairs.Count, passed, (double)passed / pairs.Count, recalls.Average(), threshold, misses);
    }
}
