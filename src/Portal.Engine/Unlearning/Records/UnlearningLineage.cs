using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.StageOne;

namespace Lethe.Engine.Unlearning.Records;

/// <summary>
/// The unlearning state a model version carries for its lineage, kept in the model folder under <c>unlearning/</c>:
/// the trained [UNL] token (reused by every later request) and the sequential memory C_p (so the next request continues
/// the sequence after a restart). A model without the folder starts a new lineage.
/// </summary>
public static class UnlearningLineage
{
    public const string Folder = "unlearning";
    private const string TokenStem = "token";
    private const string MemoryStem = "sequential_memory";

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
    /// token) plus the lineage state under <c>unlearning/</c>.
    /// </summary>
    public static void Export(LanguageModel editedModel, UnlearningToken token, SequentialEditMemory memory, string modelFolder)
    {
        editedModel.Save(modelFolder);
        token.Save(Path.Combine(modelFolder, Folder, TokenStem));
        memory.Save(Path.Combine(modelFolder, Folder, MemoryStem));
    }
}
