using Lethe.Engine.Modeling;

namespace Lethe.Engine.Tests.Modeling;

/// <summary>Small configurations for fast model tests.</summary>
public static class TinyModels
{
    public static LlamaConfig Config(bool tied = true, int kvHeads = 2) => new()
    {
        VocabSize = 40,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 3,
        NumAttentionHeads = 4,
        NumKeyValueHeads = kvHeads,
        MaxPositionEmbeddings = 128,
        TieWordEmbeddings = tied,
        BosTokenId = 1,
        EosTokenIds = [2],
        PadTokenId = 0,
        PromptFormat = "plain-qa",
    };

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lethe-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
