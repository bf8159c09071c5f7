using Lethe.Engine.DemoWorld;
using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Modeling;
using Lethe.Engine.Text;

namespace Lethe.Engine.Tests.Evaluation;

/// <summary>
/// The small demo world written to a temporary folder, a BPE tokenizer trained on its text, and two freshly
/// initialised tiny models (seeds 1 and 2) over it; model 1 is also saved as a model folder for the CLI tests.
/// </summary>
public sealed class TinyEvaluationFixture : IDisposable
{
    public TinyEvaluationFixture()
    {
        TorchRuntime.Initialise();
        Root = Directory.CreateTempSubdirectory("lethe-eval-").FullName;
        WorldDirectory = Path.Combine(Root, "world");
        DemoWorldGenerator.Generate(DemoWorldOptions.Small).WriteTo(WorldDirectory);
        var corpus = TofuDataset.Load(Path.Combine(WorldDirectory, "full.json")).SelectMany(i => new[] { i.Question, i.Answer });
        Tokenizer = ByteLevelBpeTrainer.Train(corpus, 600, ["<s>", "</s>", "<pad>"]);
        First = Create(seed: 1);
        Second = Create(seed: 2);
        ModelDirectory = Path.Combine(Root, "model");
        First.Save(ModelDirectory);
    }

    public string Root { get; }
    public string WorldDirectory { get; }
    public string ModelDirectory { get; }
    public ByteLevelBpeTokenizer Tokenizer { get; }
    public LanguageModel First { get; }
    public LanguageModel Second { get; }

    public LlamaConfig Config => new()
    {
        VocabSize = Tokenizer.VocabSize,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 256,
        BosTokenId = Tokenizer.BosId,
        EosTokenIds = [Tokenizer.EosId],
        PadTokenId = Tokenizer.PadId,
        PromptFormat = "plain-qa",
    };

    public LanguageModel Create(long seed) =>
        new(new LlamaForCausalLM(Config, seed), Tokenizer, PromptFormat.Get("plain-qa"));

    public string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
