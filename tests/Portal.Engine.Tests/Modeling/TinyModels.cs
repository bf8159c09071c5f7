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
}

/// <summary>A fresh temporary folder, deleted with its contents on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lethe-tests", Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
