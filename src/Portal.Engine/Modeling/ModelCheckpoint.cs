using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// A HF-style model folder: config.json + model.safetensors, or shards listed in model.safetensors.index.json
/// ({"weight_map": {tensor name: shard file}}). Loads F32/BF16/F16 into fp32 parameters.
/// </summary>
public static class ModelCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>Reads config.json and the weights of <paramref name="directory"/> into a new model.</summary>
    public static LlamaForCausalLM Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: model folder not found");
        }
        var config = LlamaConfigJson.Load(Path.Combine(directory, ConfigFile));
        var model = new LlamaForCausalLM(config);
        try
        {
            LoadWeights(model, directory);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>Copies every parameter of <paramref name="model"/> from the folder's safetensors file(s).</summary>
    public static void LoadWeights(LlamaForCausalLM model, string directory)
    {
        var files = OpenWeightFiles(directory);
        var expected = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var located = new Dictionary<string, SafetensorsFile>();
        foreach (var file in files)
        {
            foreach (var name in file.Entries.Keys)
            {
                if (expected.ContainsKey(name))
                {
                    located[name] = file;
                }
                else if (!IsIgnorable(name, model.Config))
                {
                    throw new InvalidDataException($"{file.Path}: unexpected tensor '{name}' (not a parameter of this Llama configuration)");
                }
            }
        }
        var missing = expected.Keys.Where(n => !located.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{string.Join(", ", files.Select(f => f.Path))}: missing tensor(s) {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : "")}");
        }
        using var noGrad = no_grad();
        foreach (var (name, parameter) in expected)
        {
            var file = located[name];
            var entry = file.Entries[name];
            if (!entry.Shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException(
                    $"{file.Path}: tensor '{name}' has shape [{string.Join(",", entry.Shape)}] but config.json implies [{string.Join(",", parameter.shape)}]");
            }
            using var values = tensor(file.ReadFloats(name), entry.Shape);
            parameter.copy_(values);
        }
    }

    /// <summary>Tensors HF files may carry that we recompute or share: rotary inv_freq buffers, a tied head.</summary>
    private static bool IsIgnorable(string name, LlamaConfig config) =>
        name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)
        || (config.TieWordEmbeddings && name == "lm_head.weight");

    private static List<SafetensorsFile> OpenWeightFiles(string directory)
    {
        var single = Path.Combine(directory, WeightsFile);
        var index = Path.Combine(directory, IndexFile);
        if (File.Exists(single))
        {
            return [SafetensorsFile.Open(single)];
        }
        if (!File.Exists(index))
        {
            throw new FileNotFoundException($"{directory}: no weights found (expected {WeightsFile} or {IndexFile})", single);
        }
        return ShardNames(index).Select(shard => SafetensorsFile.Open(Path.Combine(directory, shard))).ToList();
    }

    private static IReadOnlyList<string> ShardNames(string indexPath)
    {
        try
        {
            var weightMap = JsonNode.Parse(File.ReadAllText(indexPath))?["weight_map"] as JsonObject
                ?? throw new InvalidDataException($"{indexPath}: no \"weight_map\" object");
            return weightMap.Select(kv => kv.Value!.GetValue<string>()).Distinct().ToList();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{indexPath}: invalid JSON at line {e.LineNumber + 1}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes config.json and the weights (lm_head.weight omitted when tied, as HF does). With
    /// <paramref name="maxShardBytes"/> set, splits into model-0000i-of-0000n.safetensors plus the index file.
    /// </summary>
    public static void Save(LlamaForCausalLM model, string directory, SafetensorsDtype dtype = SafetensorsDtype.F32, long? maxShardBytes = null)
    {
        Directory.CreateDirectory(directory);
        var dtypeName = dtype switch { SafetensorsDtype.F32 => "float32", SafetensorsDtype.BF16 => "bfloat16", _ => "float16" };
        LlamaConfigJson.Save(model.Config with { TorchDtype = dtypeName }, Path.Combine(directory, ConfigFile));
        foreach (var stale in new[] { WeightsFile, IndexFile }.Concat(Directory.GetFiles(directory, "model-*-of-*.safetensors").Select(Path.GetFileName)))
        {
            File.Delete(Path.Combine(directory, stale!));
        }
        var tensors = model.named_parameters()
            .Select(p => new TensorToWrite(p.name, p.parameter.shape, () => ReadFloats(p.parameter)))
            .ToList();
        var shards = SplitIntoShards(tensors, (maxShardBytes ?? long.MaxValue) / SafetensorsFile.ElementSize(dtype));
        if (shards.Count == 1)
        {
            SafetensorsFile.Write(Path.Combine(directory, WeightsFile), shards[0], dtype);
            return;
        }
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var shardName = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            SafetensorsFile.Write(Path.Combine(directory, shardName), shards[i], dtype);
            foreach (var t in shards[i])
            {
                weightMap[t.Name] = shardName;
            }
        }
        var totalBytes = tensors.Sum(t => t.ElementCount) * SafetensorsFile.ElementSize(dtype);
        var indexJson = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = totalBytes }, ["weight_map"] = weightMap };
        File.WriteAllText(Path.Combine(directory, IndexFile), indexJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static float[] ReadFloats(Tensor parameter)
    {
        using var values = parameter.detach().to(ScalarType.Float32).contiguous();
        return values.data<float>().ToArray();
    }

    private static List<List<TensorToWrite>> SplitIntoShards(List<TensorToWrite> tensors, long maxElementsPerShard)
    {
        var shards = new List<List<TensorToWrite>> { new() };
        long inShard = 0;
        foreach (var t in tensors)
        {
            if (inShard > 0 && inShard + t.ElementCount > maxElementsPerShard)
            {
                shards.Add([]);
                inShard = 0;
            }
            shards[^1].Add(t);
            inShard += t.ElementCount;
        }
        return shards;
    }
}
