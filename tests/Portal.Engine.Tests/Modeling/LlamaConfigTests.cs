using Lethe.Engine.Modeling;

namespace Lethe.Engine.Tests.Modeling;

public class LlamaConfigTests
{
    private const string Llama32Style = """
        {
          "architectures": ["LlamaForCausalLM"], "model_type": "llama", "attention_bias": false, "mlp_bias": false,
          "hidden_act": "silu", "vocab_size": 128256, "hidden_size": 2048, "intermediate_size": 8192,
          "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64,
          "max_position_embeddings": 131072, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
          "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                           "original_max_position_embeddings": 8192, "rope_type": "llama3"},
          "tie_word_embeddings": true, "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009],
          "torch_dtype": "bfloat16", "transformers_version": "4.45.0", "use_cache": true
        }
        """;

    [Fact]
    public void ParsesHuggingFaceLlama3Config()
    {
        var c = LlamaConfigJson.Parse(Llama32Style);
        Assert.Equal(128256, c.VocabSize);
        Assert.Equal(8, c.NumKeyValueHeads);
        Assert.Equal(64, c.HeadDim);
        Assert.Equal(new RopeScaling("llama3", 32, 1, 4, 8192), c.RopeScaling);
        Assert.Equal(new[] { 128001, 128008, 128009 }, c.EosTokenIds);
        Assert.True(c.TieWordEmbeddings);
        Assert.Null(c.PadTokenId);
    }

    [Fact]
    public void RoundTripKeepsValuesAndUnknownKeys()
    {
        var c = LlamaConfigJson.Parse(Llama32Style) with { PromptFormat = "llama3-chat" };
        var text = LlamaConfigJson.Serialise(c);
        var again = LlamaConfigJson.Parse(text);
        Assert.Contains("\"transformers_version\": \"4.45.0\"", text);
        Assert.Contains("\"use_cache\": true", text);
        Assert.Contains("\"lethe_prompt_format\": \"llama3-chat\"", text);
        Assert.Equal(LlamaConfigJson.Serialise(again), text);
        Assert.Equal(c.RopeScaling, again.RopeScaling);
        Assert.Equal(c.EosTokenIds, again.EosTokenIds);
    }

    [Fact]
    public void SingleEosIdIsWrittenAsInteger()
    {
        var text = LlamaConfigJson.Serialise(TinyModels.Config());
        Assert.Contains("\"eos_token_id\": 2", text);
        Assert.Equal(new[] { 2 }, LlamaConfigJson.Parse(text).EosTokenIds);
    }

    [Theory]
    [InlineData("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5", "multiple of num_key_value_heads")]
    [InlineData("\"model_type\": \"llama\"", "\"model_type\": \"gpt2\"", "model_type")]
    [InlineData("\"mlp_bias\": false", "\"mlp_bias\": true", "mlp_bias")]
    [InlineData("\"rope_type\": \"llama3\"", "\"rope_type\": \"yarn\"", "rope_type")]
    [InlineData("\"hidden_size\": 2048", "\"hidden_size\": \"big\"", "hidden_size")]
    [InlineData("\"vocab_size\": 128256,", "", "vocab_size")]
    public void InvalidConfigsFailWithTheKeyNamed(string from, string to, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => LlamaConfigJson.Parse(Llama32Style.Replace(from, to), "my/config.json"));
        Assert.Contains("my/config.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void BrokenJsonReportsLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => LlamaConfigJson.Parse("{\n\"vocab_size\": 3,\n oops }", "c.json"));
        Assert.Contains("c.json", e.Message);
        Assert.Contains("line 3", e.Message);
    }
}
