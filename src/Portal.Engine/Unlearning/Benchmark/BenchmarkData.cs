using System.Text.Json.Nodes;
using Lethe.Engine.DemoWorld;
using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Runner;

namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>One person of the forget split: their name (when the data names people) and their rows in the split.</summary>
public sealed record BenchmarkPerson(string? Name, IReadOnlyList<int> ForgetIndices);

/// <summary>
/// The data of a benchmark run from a TOFU-layout folder: the forget split's evaluation rows (forgetXX_perturbed.json,
/// the rows the evaluation scores), the retain split's QAs (retain(100-XX)), the refusal sentences, and the forget
/// split grouped by person (from our demo world's manifest.json, else TOFU's 20 QAs per author).
/// </summary>
public sealed class BenchmarkData
{
    public const int TofuQasPerAuthor = 20;

    private BenchmarkData(string directory, string split, IReadOnlyList<TofuItem> forget, IReadOnlyList<QaPair> retain,
        IReadOnlyList<string> refusals, IReadOnlyList<BenchmarkPerson> people)
    {
        (Directory, Split, Forget, Retain, Refusals, People) = (directory, split, forget, retain, refusals, people);
    }

    public string Directory { get; }
    public string Split { get; }
    public IReadOnlyList<TofuItem> Forget { get; }
    public IReadOnlyList<QaPair> Retain { get; }
    public IReadOnlyList<string> Refusals { get; }
    public IReadOnlyList<BenchmarkPerson> People { get; }

    public static BenchmarkData Load(string directory, string split, EvaluationSpec spec)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Data folder '{directory}' does not exist.");
        }
        var forget = TofuSplits.LoadEvaluationSet(directory, EvaluationSetNames.Forget, split);
        var retain = TofuSplits.LoadSplit(directory, RetainSplitOf(split)).Select(i => new QaPair(i.Question, i.Answer)).ToList();
        var refusals = spec.RefusalsFile is { } file && File.Exists(Path.Combine(directory, file))
            ? EvaluationData.ReadSentences(Path.Combine(directory, file))
            : Lethe.Engine.DemoWorld.Refusals.All;
        return new BenchmarkData(directory, split, forget, retain, refusals, GroupPeople(directory, split, forget.Count));
    }

    /// <summary>forgetXX -> retain(100-XX).</summary>
    public static string RetainSplitOf(string split)
    {
        var match = System.Text.RegularExpressions.Regex.Match(split, "^forget(\\d{2})$");
        return match.Success
            ? $"retain{100 - int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture):00}"
            : throw new ArgumentException($"'{split}' is not a forget split (forget01, forget05, forget10).");
    }

    public QaPair Pair(int forgetIndex) => new(Forget[forgetIndex].Question, Forget[forgetIndex].Answer);

    /// <summary>
    /// Writes a copy of the data folder into <paramref name="target"/> whose forget split holds only the given rows
    /// (in that order), so the evaluation scores exactly the QAs a protocol asked to forget.
    /// </summary>
    public string WriteSubset(IReadOnlyList<int> forgetIndices, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
        var perturbed = Path.Combine(Directory, Split + "_perturbed.json");
        var rows = ReadRows(perturbed);
        File.WriteAllLines(Path.Combine(target, Split + "_perturbed.json"), forgetIndices.Select(i => rows[i].ToJsonString()));
        return target;
    }

    private static IReadOnlyList<JsonNode> ReadRows(string path)
    {
        var text = File.ReadAllText(path);
        return text.TrimStart().StartsWith('[')
            ? JsonNode.Parse(text)!.AsArray().Select(n => n!).ToList()
            : text.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonNode.Parse(l)!).ToList();
    }

    private static IReadOnlyList<BenchmarkPerson> GroupPeople(string directory, string split, int forgetCount)
    {
        if (File.Exists(Path.Combine(directory, DemoWorldManifest.FileName)))
        {
            var manifest = DemoWorldManifest.Read(directory);
            var fullCount = manifest.Counts.Qas;
            var firstForgetRow = fullCount - forgetCount;
            return manifest.People
                .Where(p => p.FirstRow >= firstForgetRow)
                .Select(p => new BenchmarkPerson(p.Name, Enumerable.Range(p.FirstRow - firstForgetRow, p.QaCount).ToList()))
                .ToList();
        }
        return Enumerable.Range(0, forgetCount).Chunk(TofuQasPerAuthor)
            .Select(rows => new BenchmarkPerson(null, rows)).ToList();
    }
}
