using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Metrics;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>One evaluation set's rows as the run uses them (already cut to the spec's item limit).</summary>
public sealed record EvaluationSetItems(string Name, EvaluationSetKind Kind, IReadOnlyList<TofuItem> Items);

/// <summary>
/// Loads what a spec needs from a data folder in TOFU's layout (TOFU itself or our demo world): the evaluation sets
/// (see <see cref="TofuSplits.LoadEvaluationSet"/>), and the refusal sentences. Errors name the folder, set and file.
/// </summary>
public static class EvaluationData
{
    public static IReadOnlyList<EvaluationSetItems> LoadSets(string dataDirectory, EvaluationSpec spec)
    {
        RequireFolder(dataDirectory);
        return spec.Sets.Select(name => LoadSet(dataDirectory, spec, name)).ToList();
    }

    /// <summary>The refusal detector for the spec: its file (JSON array or one sentence per line) plus inline sentences; neither = Lethe's own list.</summary>
    public static RefusalDetector LoadRefusals(string dataDirectory, EvaluationSpec spec)
    {
        var sentences = new List<string>(spec.RefusalSentences);
        if (spec.RefusalsFile is { } file)
        {
            var path = Path.Combine(dataDirectory, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"Data folder '{dataDirectory}' lacks the refusal sentence file '{file}' named by the evaluation spec.", path);
            }
            sentences.AddRange(ReadSentences(path));
        }
        if (sentences.Count == 0)
        {
            sentences.AddRange(DemoWorld.Refusals.All);
        }
        return new RefusalDetector(sentences, spec.RefusalRougeThreshold);
    }

    /// <summary>Refusal sentences from a JSON array of strings, or one per line (blank lines skipped).</summary>
    public static IReadOnlyList<string> ReadSentences(string path)
    {
        var text = File.ReadAllText(path);
        if (!text.TrimStart().StartsWith('['))
        {
            return RefusalDetector.LoadSentences(path);
        }
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<List<string>>(text) ?? [];
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: expected a JSON array of refusal sentences ({e.Message}).", e);
        }
    }

    private static EvaluationSetItems LoadSet(string dataDirectory, EvaluationSpec spec, string name)
    {
        IReadOnlyList<TofuItem> items;
        try
        {
            items = name == EvaluationSetNames.Holdout && spec.HoldoutFile is { } holdout
                ? TofuDataset.Load(Path.Combine(dataDirectory, holdout))
                : TofuSplits.LoadEvaluationSet(dataDirectory, name, spec.ForgetSplit);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"Data folder '{dataDirectory}' cannot provide set '{name}': {e.Message}", e.FileName, e);
        }
        if (items.Count == 0)
        {
            throw new InvalidDataException($"Data folder '{dataDirectory}': set '{name}' has no items.");
        }
        var limit = spec.ItemLimit(name);
        return new EvaluationSetItems(name, EvaluationSetNames.KindOf(name), limit is { } n ? items.Take(n).ToList() : items);
    }

    /// <summary>Fails with a clear message when the data folder does not exist (checked before a model is loaded).</summary>
    public static void RequireFolder(string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory))
        {
            throw new DirectoryNotFoundException($"Data folder '{dataDirectory}' does not exist.");
        }
    }
}
