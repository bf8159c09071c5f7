using Lethe.Engine.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Modeling;

public class ModelCheckpointTests
{
    private static readonly long[,] Ids = { { 3, 7, 11, 5, 9 }, { 4, 4, 20, 31, 2 } };

    private static float[] Logits(LlamaForCausalLM model)
    {
        using var noGrad = no_grad();
        using var ids = tensor(Ids);
        using var logits = model.Forward(ids);
        return logits.data<float>().ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SaveThenLoadGivesIdenticalLogits(bool tied)
    {
        TorchRuntime.Initialise();
        using var temp = new TempFolder();
        var dir = temp.Path;
        using var model = new LlamaForCausalLM(TinyModels.Config(tied), seed: 7);
        ModelCheckpoint.Save(model, dir);
        using var loaded = ModelCheckpoint.Load(dir);
        Assert.Equal(Logits(model), Logits(loaded));
        var names = SafetensorsFile.Open(Path.Combine(dir, ModelCheckpoint.WeightsFile)).Entries.Keys.ToHashSet();
        Assert.Equal(!tied, names.Contains("lm_head.weight"));
    }

    [Fact]
    public void ParameterNamesMatchHuggingFace()
    {
        using var model = new LlamaForCausalLM(TinyModels.Config(tied: false));
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        string[] expected =
        [
            "model.embed_tokens.weight", "model.norm.weight", "lm_head.weight",
            "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight",
            "model.layers.0.self_attn.v_proj.weight", "model.layers.0.self_attn.o_proj.weight",
            "model.layers.2.mlp.gate_proj.weight", "model.layers.2.mlp.up_proj.weight", "model.layers.2.mlp.down_proj.weight",
            "model.layers.1.input_layernorm.weight", "model.layers.1.post_attention_layernorm.weight",
        ];
        Assert.All(expected, n => Assert.Contains(n, names));
        Assert.Equal(3 + 3 * 9, names.Count);
        Assert.Equal(new long[] { 32, 64 }, model.DownProjWeight(1).shape);
    }

    [Fact]
    public void ShardedCheckpointLoads()
    {
        TorchRuntime.Initialise();
        using var temp = new TempFolder();
        var dir = temp.Path;
        using var model = new LlamaForCausalLM(TinyModels.Config(tied: false), seed: 3);
        ModelCheckpoint.Save(model, dir, maxShardBytes: 16_000);
        Assert.True(File.Exists(Path.Combine(dir, ModelCheckpoint.IndexFile)));
        Assert.False(File.Exists(Path.Combine(dir, ModelCheckpoint.WeightsFile)));
        Assert.True(Directory.GetFiles(dir, "model-*-of-*.safetensors").Length > 2);
        using var loaded = ModelCheckpoint.Load(dir);
        Assert.Equal(Logits(model), Logits(loaded));
    }

    [Theory]
    [InlineData(SafetensorsDtype.BF16, 1e-2)]
    [InlineData(SafetensorsDtype.F16, 1e-3)]
    public void HalfPrecisionCheckpointLoadsAsRoundedWeights(SafetensorsDtype dtype, double tolerance)
    {
        TorchRuntime.Initialise();
        using var temp = new TempFolder();
        var dir = temp.Path;
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 5);
        ModelCheckpoint.Save(model, dir, dtype);
        using var loaded = ModelCheckpoint.Load(dir);
        var original = model.EmbeddingWeight.data<float>().ToArray();
        var restored = loaded.EmbeddingWeight.data<float>().ToArray();
        for (var i = 0; i < original.Length; i++)
        {
            Assert.True(Math.Abs(original[i] - restored[i]) <= tolerance * Math.Abs(original[i]) + 1e-7,
                $"element {i}: {original[i]} vs {restored[i]}");
        }
        var a = Logits(model);
        var b = Logits(loaded);
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) < 0.05);
    }

    [Fact]
    public void Bf16ConversionRoundsToNearestEven()
    {
        Assert.Equal(0x3F80, HalfPrecision.ToBf16(1.0f));
        Assert.Equal(0x3F81, HalfPrecision.ToBf16(BitConverter.Int32BitsToSingle(0x3F80C000))); // above halfway -> up
        Assert.Equal(0x3F80, HalfPrecision.ToBf16(BitConverter.Int32BitsToSingle(0x3F808000))); // tie -> even
        Assert.Equal(0x3F82, HalfPrecision.ToBf16(BitConverter.Int32BitsToSingle(0x3F818000))); // tie -> even (up)
    }

    [Fact]
    public void MissingConfigIsNamed()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        var e = Assert.Throws<FileNotFoundException>(() => ModelCheckpoint.Load(dir));
        Assert.Contains("config.json", e.Message);
    }

    [Fact]
    public void MissingWeightsAreNamed()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        LlamaConfigJson.Save(TinyModels.Config(), Path.Combine(dir, "config.json"));
        var e = Assert.Throws<FileNotFoundException>(() => ModelCheckpoint.Load(dir));
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void ShapeMismatchNamesFileAndTensor()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        using (var model = new LlamaForCausalLM(TinyModels.Config()))
        {
            ModelCheckpoint.Save(model, dir);
        }
        LlamaConfigJson.Save(TinyModels.Config() with { IntermediateSize = 48 }, Path.Combine(dir, "config.json"));
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(dir));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("gate_proj.weight", e.Message);
    }

    [Fact]
    public void CorruptWeightsFileIsNamed()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        LlamaConfigJson.Save(TinyModels.Config(), Path.Combine(dir, "config.json"));
        File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(dir));
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void MissingFolderIsNamed()
    {
        using var temp = new TempFolder();
        var dir = Path.Combine(temp.Path, "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => ModelCheckpoint.Load(dir));
        Assert.Contains(dir, e.Message);
    }

    [Fact]
    public void UnexpectedTensorIsNamed()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        using (var model = new LlamaForCausalLM(TinyModels.Config(tied: false)))
        {
            ModelCheckpoint.Save(model, dir);
        }
        LlamaConfigJson.Save(TinyModels.Config(tied: false) with { NumHiddenLayers = 2 }, Path.Combine(dir, "config.json"));
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(dir));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("model.layers.2.", e.Message);
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        using (var model = new LlamaForCausalLM(TinyModels.Config(tied: true)))
        {
            ModelCheckpoint.Save(model, dir);
        }
        LlamaConfigJson.Save(TinyModels.Config(tied: false), Path.Combine(dir, "config.json"));
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(dir));
        Assert.Contains("missing tensor(s) lm_head.weight", e.Message);
    }

    [Fact]
    public void TiedCheckpointWithExplicitHeadLoads()
    {
        // Some HF exports keep lm_head.weight even when tied; it must be accepted and ignored.
        using var temp = new TempFolder();
        var dir = temp.Path;
        using (var untied = new LlamaForCausalLM(TinyModels.Config(tied: false)))
        {
            ModelCheckpoint.Save(untied, dir);
        }
        LlamaConfigJson.Save(TinyModels.Config(tied: true), Path.Combine(dir, "config.json"));
        using var loaded = ModelCheckpoint.Load(dir);
        Assert.Same(loaded.EmbeddingWeight, loaded.OutputWeight);
    }
}
