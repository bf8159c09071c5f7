using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Logs;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Evaluation.Rescoring;
using Lethe.Engine.Tests.Support;

namespace Lethe.Engine.Tests.Evaluation;

/// <summary>Re-scoring the published per-item TOFU logs must reproduce METRICS.md's table to 4 decimals.</summary>
public sealed class RescoreTests
{
    private static string Log(string model) => Path.Combine(TofuData.Require(), "reference-eval", model, "eval_log_aggregated.json");

    public static TheoryData<string, double, double[]> PublishedTable => new()
    {
        // model, MU, then retain P/R/TR, real authors P/R/TR, world facts P/R/TR, forget P/R/TR
        { "llama2-7b_full", 0.6227, [.9895, .9857, .4747, .4555, .9330, .5962, .4186, .8825, .5390, .9909, .9854, .5160] },
        { "llama2-7b_retain90", 0.6137, [.9889, .9758, .4710, .4341, .9230, .5707, .4143, .8974, .5442, .1476, .4082, .6740] },
    };

    [TofuFact]
    public void FullModelMatchesThePublishedTable() => AssertTable("llama2-7b_full");

    [TofuFact]
    public void Retain90ModelMatchesThePublishedTable() => AssertTable("llama2-7b_retain90");

    private static void AssertTable(string model)
    {
        var row = PublishedTable.Single(r => (string)r[0] == model);
        var (mu, numbers) = ((double)row[1], (double[])row[2]);
        var report = new Rescorer().Rescore(Log(model));
        Assert.Equal(EvaluationLogFormat.LegacyTofu, report.Log.Format);
        Assert.Equal(mu, Math.Round(report.Summary.ModelUtility!.Value, 4));
        string[] sets = [EvaluationSetNames.Retain, EvaluationSetNames.RealAuthors, EvaluationSetNames.WorldFacts, EvaluationSetNames.Forget];
        for (var s = 0; s < sets.Length; s++)
        {
            var set = report.Summary.Sets[sets[s]];
            Assert.Equal(numbers[3 * s], Math.Round(set.Probability, 4));
            Assert.Equal(numbers[3 * s + 1], Math.Round(set.RougeLRecall!.Value, 4));
            Assert.Equal(numbers[3 * s + 2], Math.Round(set.TruthRatio!.Value, 4));
        }
    }

    [TofuFact]
    public void ForgetQualityOfFullAgainstRetain90()
    {
        var report = new Rescorer().Rescore(Log("llama2-7b_full"), Log("llama2-7b_retain90"));
        var fq = report.Summary.ForgetQuality!;
        Assert.Equal(119, fq.H);
        Assert.Equal(0.3967, Math.Round(fq.Statistic, 4));
        Assert.Equal(KolmogorovSmirnovMethod.ExactEqualSizes, fq.Method);
        Assert.True(Math.Abs(fq.PValue - 1.834066e-21) / 1.834066e-21 < 1e-6, $"FQ = {fq.PValue:e9}");
    }

    [TofuFact]
    public void RecomputedRougeEqualsEveryStoredValueInBothLogs()
    {
        foreach (var model in new[] { "llama2-7b_full", "llama2-7b_retain90" })
        {
            var report = new Rescorer().Rescore(Log(model));
            Assert.Equal(817, report.RougeAgreement.Sum(a => a.Compared));
            Assert.All(report.RougeAgreement, a => Assert.Empty(a.Mismatches));
        }
    }

    /// <summary>The same tokenizer also reproduces the logs' stored ROUGE-1 recall (unigram overlap with clipped counts).</summary>
    [TofuFact]
    public void RecomputedRouge1EqualsEveryStoredValueInBothLogs()
    {
        var scorer = new Lethe.Engine.Evaluation.Text.RougeScorer();
        foreach (var model in new[] { "llama2-7b_full", "llama2-7b_retain90" })
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Log(model)))!.AsObject();
            var compared = 0;
            foreach (var (_, set) in root)
            {
                foreach (var (index, texts) in set!["generated_text"]!.AsObject())
                {
                    var stored = set["rouge1_recall"]![index]!.GetValue<double>();
                    var recomputed = scorer.Rouge1Recall(texts![2]!.GetValue<string>(), texts[1]!.GetValue<string>());
                    Assert.True(Math.Abs(stored - recomputed) < 1e-9, $"{model} item {index}: stored {stored}, recomputed {recomputed}");
                    compared++;
                }
            }
            Assert.Equal(817, compared);
        }
    }

    [TofuFact]
    public void OpenUnlearningRoundTripKeepsEveryAggregateAndServesAsReference()
    {
        var folder = Directory.CreateTempSubdirectory("lethe-ou-").FullName;
        try
        {
            var legacy = new Rescorer().Rescore(Log("llama2-7b_retain90"));
            OpenUnlearningLogWriter.Write(folder, legacy.Log.Sets, legacy.Summary);

            var secondFolder = Path.Combine(folder, "second");
            OpenUnlearningLogWriter.Write(secondFolder, legacy.Log.Sets, legacy.Summary);
            Assert.Equal(File.ReadAllText(Path.Combine(folder, OpenUnlearningLogWriter.EvalFileName)),
                File.ReadAllText(Path.Combine(secondFolder, OpenUnlearningLogWriter.EvalFileName)));

            var again = new Rescorer().Rescore(folder);
            Assert.Equal(EvaluationLogFormat.OpenUnlearning, again.Log.Format);
            Assert.Equal(legacy.Summary.ModelUtility!.Value, again.Summary.ModelUtility!.Value, 12);
            foreach (var (name, set) in legacy.Summary.Sets)
            {
                Assert.Equal(set.Probability, again.Summary.Sets[name].Probability, 12);
                Assert.Equal(set.TruthRatio!.Value, again.Summary.Sets[name].TruthRatio!.Value, 12);
                Assert.Equal(set.RougeLRecall!.Value, again.Summary.Sets[name].RougeLRecall!.Value, 12);
            }
            Assert.All(again.RougeAgreement, a => Assert.Empty(a.Mismatches));

            var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, OpenUnlearningLogWriter.SummaryFileName)))!.AsObject();
            foreach (var key in new[] { "forget_Q_A_Prob", "forget_Q_A_ROUGE", "forget_truth_ratio", "retain_Q_A_Prob", "retain_Q_A_ROUGE",
                         "retain_Truth_Ratio", "ra_Q_A_Prob_normalised", "ra_Q_A_ROUGE", "ra_Truth_Ratio", "wf_Q_A_Prob_normalised",
                         "wf_Q_A_ROUGE", "wf_Truth_Ratio", "model_utility" })
            {
                Assert.True(summary.ContainsKey(key), key);
            }

            // forget quality reads the written forget_truth_ratio.value_by_index[*].score like open-unlearning does
            var viaOpenUnlearning = new Rescorer().Rescore(Log("llama2-7b_full"), Path.Combine(folder, OpenUnlearningLogWriter.EvalFileName));
            Assert.Equal(1.834066e-21, viaOpenUnlearning.Summary.ForgetQuality!.PValue, 1.834066e-27);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void BadLogsGiveClearErrors()
    {
        var folder = Directory.CreateTempSubdirectory("lethe-badlog-").FullName;
        try
        {
            Assert.Throws<FileNotFoundException>(() => EvaluationLog.Load(Path.Combine(folder, "none.json")));
            Assert.Contains("neither eval_log_aggregated.json", Assert.Throws<FileNotFoundException>(() => EvaluationLog.Load(folder)).Message);

            var malformed = Path.Combine(folder, "malformed.json");
            File.WriteAllText(malformed, "{\n  \"eval_log.json\": {\n    \"avg_gt_loss\": [1,\n}");
            Assert.Contains($"{malformed}:", Assert.Throws<InvalidDataException>(() => EvaluationLog.Load(malformed)).Message);

            var unknown = Path.Combine(folder, "unknown.json");
            File.WriteAllText(unknown, "{\"something\": 1}");
            Assert.Contains("not a TOFU evaluation log", Assert.Throws<InvalidDataException>(() => EvaluationLog.Load(unknown)).Message);

            var badItem = Path.Combine(folder, "bad-item.json");
            File.WriteAllText(badItem, "{\"eval_log.json\": {\"avg_gt_loss\": {\"0\": \"high\"}}}");
            var error = Assert.Throws<InvalidDataException>(() => EvaluationLog.Load(badItem)).Message;
            Assert.Contains("item '0' avg_gt_loss", error);
            Assert.Contains("expected a number", error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
