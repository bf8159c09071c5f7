using Lethe.Engine;
using Lethe.Engine.DemoWorld;
using Lethe.Engine.Modeling;

namespace Lethe.Portal.Web.DemoModel;

/// <summary>Reads the facts the Models page shows from a finished demo model folder (no weights are loaded).</summary>
public static class DemoModelFolder
{
    /// <summary>How many training questions (spread over full.json) are offered as examples.</summary>
    public const int TrainedExamples = 5;

    public static DemoModelFacts ReadFacts(string folder)
    {
        var config = LlamaConfigJson.Load(Path.Combine(folder, ModelCheckpoint.ConfigFile));
        var build = DemoModelBuildRecord.TryRead(folder)
            ?? throw new InvalidDataException($"{Path.Combine(folder, DemoModelBuildRecord.FileName)}: missing or unreadable build record.");
        return new DemoModelFacts(
            config.NumHiddenLayers, config.HiddenSize, config.IntermediateSize, config.VocabSize, build,
            ExampleQuestions(Path.Combine(folder, DemoModelBuilder.WorldFolder)));
    }

    /// <summary>
    /// Training questions spread evenly over full.json (different people), then one question about a person who does not
    /// exist (unknown_people.json), which the model was trained to refuse.
    /// </summary>
    public static IReadOnlyList<QaPair> ExampleQuestions(string worldFolder)
    {
        var full = TofuJsonLines.Read(Path.Combine(worldFolder, "full.json"));
        var examples = Enumerable.Range(0, Math.Min(TrainedExamples, full.Count))
            .Select(i => full[i * full.Count / Math.Min(TrainedExamples, full.Count)])
            .Select(row => new QaPair(row.Question, row.Answer))
            .ToList();
        var unknownPath = Path.Combine(worldFolder, "unknown_people.json");
        if (File.Exists(unknownPath) && TofuJsonLines.Read(unknownPath) is [var unknown, ..])
        {
            examples.Add(new QaPair(unknown.Question, unknown.Answer));
        }
        return examples;
    }
}
