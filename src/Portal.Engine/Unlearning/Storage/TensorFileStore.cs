using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Storage;

/// <summary>
/// Stores a named set of tensors as <c>{stem}.safetensors</c> beside a JSON sidecar <c>{stem}.json</c> holding
/// typed metadata. Used for cached projectors and the sequential edit memory (C_p).
/// </summary>
public static class TensorFileStore
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static string TensorPath(string stem) => stem + ".safetensors";

    public static string MetadataPath(string stem) => stem + ".json";

    public static bool Exists(string stem) => File.Exists(TensorPath(stem)) && File.Exists(MetadataPath(stem));

    /// <summary>Writes tensors (moved to CPU, made contiguous) and the metadata; creates the folder if needed.</summary>
    public static void Save<TMetadata>(string stem, IReadOnlyDictionary<string, Tensor> tensors, TMetadata metadata)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(stem));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        using var scope = NewDisposeScope();
        var cpu = tensors.ToDictionary(pair => pair.Key, pair => pair.Value.detach().cpu().contiguous());
        Safetensors.SaveStateDict(TensorPath(stem), cpu);
        File.WriteAllText(MetadataPath(stem), JsonSerializer.Serialize(metadata, JsonOptions));
    }

    /// <summary>Reads the tensors and the metadata written by <see cref="Save{TMetadata}"/>; clear errors when missing or malformed.</summary>
    public static (Dictionary<string, Tensor> Tensors, TMetadata Metadata) Load<TMetadata>(string stem)
    {
        var tensorPath = TensorPath(stem);
        var metadataPath = MetadataPath(stem);
        if (!File.Exists(tensorPath))
        {
            throw new FileNotFoundException($"Tensor file '{tensorPath}' does not exist.", tensorPath);
        }
        if (!File.Exists(metadataPath))
        {
            throw new FileNotFoundException($"Metadata file '{metadataPath}' does not exist.", metadataPath);
        }
        TMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<TMetadata>(File.ReadAllText(metadataPath), JsonOptions);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException(
                $"{metadataPath}:{(error.LineNumber ?? 0) + 1}: malformed metadata: {error.Message}", error);
        }
        if (metadata is null)
        {
            throw new InvalidDataException($"{metadataPath}:1: metadata is empty (null).");
        }
        return (Safetensors.LoadStateDict(tensorPath), metadata);
    }

    /// <summary>A JSON file as <typeparamref name="T"/>, or null when it does not exist; malformed or empty files name the file.</summary>
    public static T? ReadJsonOrNull<T>(string path, string what) where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidDataException($"{path}: empty {what}.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path}: malformed {what}: {error.Message}", error);
        }
    }

    /// <summary>Fetches a required tensor from a loaded set, naming the file when it is absent.</summary>
    public static Tensor Require(IReadOnlyDictionary<string, Tensor> tensors, string name, string stem) =>
        tensors.TryGetValue(name, out var tensor)
            ? tensor
            : throw new InvalidDataException($"{TensorPath(stem)}: tensor '{name}' is missing.");
}
