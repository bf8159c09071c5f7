using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lethe.Engine.Modeling;

/// <summary>Reads and writes HF `config.json` (snake_case keys) for <see cref="LlamaConfig"/>.</summary>
public static class LlamaConfigJson
{
    private static readonly HashSet<string> ModelledKeys =
    [
        "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
        "num_key_value_heads", "head_dim", "max_position_embeddings", "rms_norm_eps", "rope_theta", "rope_scaling",
        "tie_word_embeddings", "bos_token_id", "eos_token_id", "pad_token_id", "torch_dtype", "architectures",
        "model_type", "attention_bias", "mlp_bias", "hidden_act", "lethe_prompt_format", "initializer_range",
    ];

    public static LlamaConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: model configuration file not found", path);
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static void Save(LlamaConfig config, string path) => File.WriteAllText(path, Serialise(config));

    /// <summary>Parses config.json text; <paramref name="source"/> names the file in error messages.</summary>
    public static LlamaConfig Parse(string json, string source = "config.json")
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new InvalidDataException($"{source}: the configuration must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid JSON at line {e.LineNumber + 1}: {e.Message}", e);
        }

        var reader = new FieldReader(root, source);
        reader.RequireValue("model_type", "llama");
        reader.RequireValue("hidden_act", "silu");
        reader.RequireFalse("attention_bias");
        reader.RequireFalse("mlp_bias");
        var extra = new JsonObject();
        foreach (var (key, value) in root.Where(kv => !ModelledKeys.Contains(kv.Key)))
        {
            extra[key] = value?.DeepClone();
        }

        var config = new LlamaConfig
        {
            VocabSize = reader.Int("vocab_size"),
            HiddenSize = reader.Int("hidden_size"),
            IntermediateSize = reader.Int("intermediate_size"),
            NumHiddenLayers = reader.Int("num_hidden_layers"),
            NumAttentionHeads = reader.Int("num_attention_heads"),
            NumKeyValueHeads = reader.OptionalInt("num_key_value_heads") ?? reader.Int("num_attention_heads"),
            ExplicitHeadDim = reader.OptionalInt("head_dim"),
            MaxPositionEmbeddings = reader.OptionalInt("max_position_embeddings") ?? 2048,
            RmsNormEps = reader.OptionalDouble("rms_norm_eps") ?? 1e-6,
            RopeTheta = reader.OptionalDouble("rope_theta") ?? 10000.0,
            RopeScaling = reader.RopeScaling("rope_scaling"),
            TieWordEmbeddings = reader.OptionalBool("tie_word_embeddings") ?? false,
            BosTokenId = reader.OptionalInt("bos_token_id"),
            EosTokenIds = reader.IntOrIntList("eos_token_id"),
            PadTokenId = reader.OptionalInt("pad_token_id"),
            TorchDtype = reader.OptionalString("torch_dtype") ?? "float32",
            PromptFormat = reader.OptionalString("lethe_prompt_format"),
            InitializerRange = reader.OptionalDouble("initializer_range") ?? 0.02,
            ExtraKeys = extra,
        };
        config.Validate(source);
        return config;
    }

    public static string Serialise(LlamaConfig config)
    {
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["vocab_size"] = config.VocabSize,
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_hidden_layers"] = config.NumHiddenLayers,
            ["num_attention_heads"] = config.NumAttentionHeads,
            ["num_key_value_heads"] = config.NumKeyValueHeads,
            ["head_dim"] = config.HeadDim,
            ["max_position_embeddings"] = config.MaxPositionEmbeddings,
            ["rms_norm_eps"] = config.RmsNormEps,
            ["rope_theta"] = config.RopeTheta,
            ["rope_scaling"] = config.RopeScaling is { } s
                ? new JsonObject
                {
                    ["rope_type"] = s.RopeType,
                    ["factor"] = s.Factor,
                    ["low_freq_factor"] = s.LowFreqFactor,
                    ["high_freq_factor"] = s.HighFreqFactor,
                    ["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings,
                }
                : null,
            ["tie_word_embeddings"] = config.TieWordEmbeddings,
            ["bos_token_id"] = config.BosTokenId,
            ["eos_token_id"] = config.EosTokenIds.Count == 1
                ? JsonValue.Create(config.EosTokenIds[0])
                : new JsonArray(config.EosTokenIds.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["pad_token_id"] = config.PadTokenId,
            ["torch_dtype"] = config.TorchDtype,
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
            ["hidden_act"] = "silu",
            ["initializer_range"] = config.InitializerRange,
        };
        if (config.PromptFormat is not null)
        {
            root["lethe_prompt_format"] = config.PromptFormat;
        }
        foreach (var (key, value) in config.ExtraKeys ?? [])
        {
            root[key] = value?.DeepClone();
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Typed access to the JSON fields with errors that name the file and key.</summary>
    private sealed class FieldReader(JsonObject root, string source)
    {
        private InvalidDataException Error(string key, string expected) =>
            new($"{source}: key '{key}' must be {expected} (got {root[key]?.ToJsonString() ?? "nothing"})");

        private T? Optional<T>(string key, string expected) where T : struct
        {
            var node = root[key];
            if (node is null)
            {
                return null;
            }
            try
            {
                return node.GetValue<T>();
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw Error(key, expected);
            }
        }

        public int? OptionalInt(string key) => Optional<int>(key, "an integer");
        public double? OptionalDouble(string key) => Optional<double>(key, "a number");
        public bool? OptionalBool(string key) => Optional<bool>(key, "true or false");
        public int Int(string key) => OptionalInt(key) ?? throw Error(key, "present (an integer)");

        public string? OptionalString(string key) => root[key] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw Error(key, "a string"),
        };

        public void RequireValue(string key, string expected)
        {
            var value = OptionalString(key);
            if (value is not null && value != expected)
            {
                throw Error(key, $"\"{expected}\" (only Llama models with {key} \"{expected}\" are supported)");
            }
        }

        public void RequireFalse(string key)
        {
            if (OptionalBool(key) == true)
            {
                throw Error(key, "false (bias terms are not supported)");
            }
        }

        public IReadOnlyList<int> IntOrIntList(string key) => root[key] switch
        {
            null => [],
            JsonArray array => array.Select(n => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : throw Error(key, "an integer or a list of integers")).ToArray(),
            _ => [OptionalInt(key)!.Value],
        };

        public RopeScaling? RopeScaling(string key)
        {
            if (root[key] is null)
            {
                return null;
            }
            if (root[key] is not JsonObject block)
            {
                throw Error(key, "an object or null");
            }
            var inner = new FieldReader(block, $"{source}: {key}");
            var type = inner.OptionalString("rope_type") ?? inner.OptionalString("type") ?? "default";
            if (type == "default")
            {
                return null;
            }
            return new RopeScaling(
                type,
                inner.OptionalDouble("factor") ?? throw inner.Error("factor", "present"),
                inner.OptionalDouble("low_freq_factor") ?? throw inner.Error("low_freq_factor", "present"),
                inner.OptionalDouble("high_freq_factor") ?? throw inner.Error("high_freq_factor", "present"),
                inner.OptionalInt("original_max_position_embeddings") ?? throw inner.Error("original_max_position_embeddings", "present"));
        }
    }
}
