using System.Text.RegularExpressions;

namespace Lethe.Engine.Evaluation.Data;

/// <summary>
/// TOFU's split rules and evaluation-set files. forgetXX = the LAST XX % of <c>full</c>, retainXX = the FIRST XX %
/// (forget01/05/10 ↔ retain99/95/90). A split file present in the folder is read as is; otherwise it is cut from full.json.
/// </summary>
public static partial class TofuSplits
{
    [GeneratedRegex("^(forget|retain|holdout)(\\d{2})$")]
    private static partial Regex SplitPattern();

    /// <summary>The rows of <paramref name="full"/> that make up <paramref name="split"/> (forgetXX or retainXX).</summary>
    public static IReadOnlyList<T> Select<T>(IReadOnlyList<T> full, string split)
    {
        var (family, percent) = Parse(split);
        var count = (int)Math.Round(full.Count * percent / 100.0);
        return family switch
        {
            "forget" => full.Skip(full.Count - count).ToList(),
            "retain" => full.Take(count).ToList(),
            _ => throw new ArgumentException($"Split '{split}' is not cut from full.json (only forgetXX and retainXX are).", nameof(split)),
        };
    }

    public static IReadOnlyList<TofuItem> LoadSplit(string folder, string split)
    {
        Parse(split);
        var file = Path.Combine(folder, split + ".json");
        return File.Exists(file) ? TofuDataset.Load(file) : Select(TofuDataset.Load(Path.Combine(folder, "full.json")), split);
    }

    /// <summary>
    /// Loads an evaluation set with the fields its metrics need: retain → retain_perturbed.json, forget and
    /// forget_paraphrased → {forgetSplit}_perturbed.json, real_authors / world_facts → *_perturbed.json,
    /// holdout → holdoutXX.json with XX taken from the forget split.
    /// </summary>
    public static IReadOnlyList<TofuItem> LoadEvaluationSet(string folder, string setName, string forgetSplit = "forget10")
    {
        var (family, percent) = Parse(forgetSplit);
        if (family != "forget")
        {
            throw new ArgumentException($"'{forgetSplit}' is not a forget split (forget01, forget05, forget10).", nameof(forgetSplit));
        }
        string[] perturbedFields = ["paraphrased_question", "paraphrased_answer", "perturbed_answer"];
        return setName switch
        {
            EvaluationSetNames.Retain => TofuDataset.Load(Path.Combine(folder, "retain_perturbed.json"), perturbedFields),
            EvaluationSetNames.Forget or EvaluationSetNames.ForgetParaphrased =>
                TofuDataset.Load(Path.Combine(folder, forgetSplit + "_perturbed.json"), perturbedFields),
            EvaluationSetNames.RealAuthors or EvaluationSetNames.WorldFacts =>
                TofuDataset.Load(Path.Combine(folder, setName + "_perturbed.json"), "perturbed_answer"),
            EvaluationSetNames.Holdout => TofuDataset.Load(Path.Combine(folder, $"holdout{percent:00}.json")),
            _ => throw new ArgumentException($"Unknown evaluation set '{setName}'.", nameof(setName)),
        };
    }

    private static (string Family, int Percent) Parse(string split)
    {
        var match = SplitPattern().Match(split);
        if (!match.Success)
        {
            throw new ArgumentException($"Unknown TOFU split '{split}'; expected forgetXX, retainXX or holdoutXX (e.g. forget10).", nameof(split));
        }
        return (match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
