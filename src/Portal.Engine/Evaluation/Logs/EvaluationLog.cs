using Lethe.Engine.Evaluation.Metrics;

namespace Lethe.Engine.Evaluation.Logs;

public enum EvaluationLogFormat
{
    /// <summary>The original TOFU code's eval_log_aggregated.json.</summary>
    LegacyTofu,
    /// <summary>open-unlearning's TOFU_EVAL.json (also what Lethe writes).</summary>
    OpenUnlearning,
}

/// <summary>A per-item evaluation log in either supported format.</summary>
public sealed record EvaluationLog(string Path, EvaluationLogFormat Format, IReadOnlyList<EvaluationSetScores> Sets)
{
    /// <summary>Loads a log file, or a folder holding eval_log_aggregated.json or TOFU_EVAL.json; the format is detected from the keys.</summary>
    public static EvaluationLog Load(string path)
    {
        var file = ResolveFile(path);
        var root = JsonLogFile.ReadObject(file);
        if (LegacyTofuLog.Recognises(root))
        {
            return new EvaluationLog(file, EvaluationLogFormat.LegacyTofu, LegacyTofuLog.Read(root, file));
        }
        if (OpenUnlearningLogReader.Recognises(root))
        {
            return new EvaluationLog(file, EvaluationLogFormat.OpenUnlearning, OpenUnlearningLogReader.Read(root, file));
        }
        throw new InvalidDataException(
            $"{file}: not a TOFU evaluation log (neither legacy eval_log_aggregated.json set keys nor open-unlearning TOFU_EVAL.json metrics).");
    }

    /// <summary>The forget-set truth ratios (and Min-K AUC) a reference log provides for forget quality / PrivLeak.</summary>
    public static ReferenceScores LoadReference(string path)
    {
        var file = ResolveFile(path);
        var root = JsonLogFile.ReadObject(file);
        if (LegacyTofuLog.Recognises(root))
        {
            var forget = LegacyTofuLog.Read(root, file).FirstOrDefault(s => s.Name == Data.EvaluationSetNames.Forget)
                ?? throw new InvalidDataException($"{file}: the reference log has no forget set (eval_log_forget.json).");
            return new ReferenceScores(forget.Items.Select(i => TofuItemMetrics.TruthRatio(i.CorrectAnswerLoss, i.MeanLossPerturbed)).ToList());
        }
        if (root[OpenUnlearningKeys.TruthRatio("forget")] is not null)
        {
            return OpenUnlearningLogReader.ReadReference(root, file);
        }
        throw new InvalidDataException($"{file}: a reference log needs a forget set (legacy eval_log_forget.json or forget_truth_ratio).");
    }

    private static string ResolveFile(string path)
    {
        if (!Directory.Exists(path))
        {
            return File.Exists(path) ? path : throw new FileNotFoundException($"Evaluation log not found: {path}", path);
        }
        foreach (var name in (string[])["eval_log_aggregated.json", OpenUnlearningLogWriter.EvalFileName])
        {
            var candidate = System.IO.Path.Combine(path, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{path}: the folder holds neither eval_log_aggregated.json nor {OpenUnlearningLogWriter.EvalFileName}.", path);
    }
}
