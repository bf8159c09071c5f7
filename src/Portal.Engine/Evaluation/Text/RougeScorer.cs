namespace Lethe.Engine.Evaluation.Text;

/// <summary>
/// ROUGE recall as rouge_score computes it (<c>scorer.score(target=ground_truth, prediction=generation)</c>):
/// ROUGE-L recall = LCS(target, prediction) / |target|; ROUGE-1 recall = Σ_w min(count_t(w), count_p(w)) / |target|;
/// both 0 when either token list is empty.
/// </summary>
public sealed class RougeScorer(RougeTokenizer tokenizer)
{
    public RougeScorer() : this(new RougeTokenizer(useStemmer: true))
    {
    }

    public double RougeLRecall(string groundTruth, string generation) =>
        LcsRecall(tokenizer.Tokenize(groundTruth), tokenizer.Tokenize(generation));

    public double Rouge1Recall(string groundTruth, string generation)
    {
        var target = tokenizer.Tokenize(groundTruth);
        var prediction = tokenizer.Tokenize(generation);
        if (target.Count == 0 || prediction.Count == 0)
        {
            return 0;
        }
        var predictionCounts = prediction.CountBy(t => t, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var overlap = target.CountBy(t => t, StringComparer.Ordinal)
            .Sum(pair => Math.Min(pair.Value, predictionCounts.GetValueOrDefault(pair.Key)));
        return (double)overlap / target.Count;
    }

    /// <summary>LCS length / |target| by the standard O(|t|·|p|) dynamic programme (one rolling row).</summary>
    public static double LcsRecall(IReadOnlyList<string> target, IReadOnlyList<string> prediction)
    {
        if (target.Count == 0 || prediction.Count == 0)
        {
            return 0;
        }
        return (double)LcsLength(target, prediction) / target.Count;
    }

    public static int LcsLength(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }
}
