using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.StageOne;
using Lethe.Engine.Unlearning.UniErase;

namespace Lethe.Engine.Unlearning.Records;

/// <summary>
/// The unlearning state a model version carries for its lineage, kept in the model folder under <c>unlearning/</c>:
/// the trained [UNL] token (reused by every later request), the sequential memory C_p (so the next request continues
/// the sequence after a restart) and the preservation key sums the lineage's projectors are built from. A model without the folder starts a new lineage.
/// </summary>
public static class UnlearningLineage
{
    public const string Folder = "unlearning";
    private const string TokenStem = "token";
    private const string MemoryStem = "sequential_memory";

    private const string StatisticsFolder = "preservation";
    private const string ProbesFile = "general_probes.json";
    private const string AnswersFile = "retained_answers.json";
    private const string ForgottenFile = "forgotten.json";

    /// <summary>The lineage state saved in a model folder (a new lineage when it has none).</summary>
    public static LineageState Load(string modelFolder) =>
        new(LoadToken(modelFolder), LoadMemory(modelFolder), PreservationStatistics.Load(Path.Combine(modelFolder, Folder, StatisticsFolder)),
            Storage.TensorFileStore.ReadJsonOrNull<List<QaPair>>(Path.Combine(modelFolder, Folder, ProbesFile), "general probes"),
            Storage.TensorFileStore.ReadJsonOrNull<SampledAnswers>(Path.Combine(modelFolder, Folder, AnswersFile), "retained answers"),
            Storage.TensorFileStore.ReadJsonOrNull<List<QaPair>>(Path.Combine(modelFolder, Folder, ForgottenFile), "forgotten QAs"));

    public static UnlearningToken? LoadToken(string modelFolder)
    {
        var stem = Path.Combine(modelFolder, Folder, TokenStem);
        return Storage.TensorFileStore.Exists(stem) ? UnlearningToken.Load(stem) : null;
    }

    public static SequentialEditMemory? LoadMemory(string modelFolder)
    {
        var stem = Path.Combine(modelFolder, Folder, MemoryStem);
        return Storage.TensorFileStore.Exists(stem) ? SequentialEditMemory.Load(stem) : null;
    }

    /// <summary>
    /// Standalone HF checkpoint of the edited model (config.json, model.safetensors, tokenizer.json with [UNL] as a special
    /// token) plus the lineage state under <c>unlearning/</c>: the token, C_p, the preservation sums, the general probes,
    /// the edited model's retained answers and the QAs the lineage forgot so far.
    /// </summary>
    public static void Export(LanguageModel editedModel, EraseResult result, string modelFolder)
    {
        editedModel.Save(modelFolder);
        result.Token.Save(Path.Combine(modelFolder, Folder, TokenStem));
        result.Memory.Save(Path.Combine(modelFolder, Folder, MemoryStem));
        result.Statistics.Save(Path.Combine(modelFolder, Folder, StatisticsFolder));
        File.WriteAllText(Path.Combine(modelFolder, Folder, ProbesFile), System.Text.Json.JsonSerializer.Serialize(result.GeneralProbes));
        File.WriteAllText(Path.Combine(modelFolder, Folder, AnswersFile), System.Text.Json.JsonSerializer.Serialize(result.RetainedAnswers));
        File.WriteAllText(Path.Combine(modelFolder, Folder, ForgottenFile), System.Text.Json.JsonSerializer.Serialize(result.Forgotten));
    }
}
