using System.Text.RegularExpressions;
using Lethe.Engine.Unlearning.Storage;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.NullSpace;

/// <summary>What a cached projector depends on: the model weights, the layer, the preservation corpus and the threshold.</summary>
public sealed record ProjectorCacheKey(string ModelVersionHash, int Layer, string CorpusHash, EigenThreshold Threshold)
{
    /// <summary>File stem (without extension), safe on every file system.</summary>
    public string FileStem =>
        $"projector-{Safe(ModelVersionHash)}-L{Layer}-{Safe(CorpusHash)}-{Safe(Threshold.ToString())}";

    private static string Safe(string text) => Regex.Replace(text, "[^A-Za-z0-9_.+-]", "_");
}

/// <summary>A folder of projectors keyed by <see cref="ProjectorCacheKey"/>; builds and stores on a miss.</summary>
public sealed class ProjectorCache(string folder)
{
    public string Folder { get; } = folder;

    public bool Contains(ProjectorCacheKey key) => TensorFileStore.Exists(StemOf(key));

    /// <summary>Returns the cached projector or builds one from <paramref name="covarianceFactory"/> ([d_ff, d_ff]) and stores it.</summary>
    public NullSpaceProjector GetOrBuild(ProjectorCacheKey key, Func<Tensor> covarianceFactory, ScalarType dtype = ScalarType.Float32)
    {
        var stem = StemOf(key);
        if (TensorFileStore.Exists(stem))
        {
            var (cached, storedKey) = NullSpaceProjector.LoadWithKey(stem);
            if (storedKey != key)
            {
                cached.Dispose();
                throw new InvalidDataException(
                    $"{TensorFileStore.MetadataPath(stem)}: stored key {storedKey} does not match requested {key}.");
            }
            return cached;
        }
        using var covariance = covarianceFactory();
        var projector = NullSpaceProjector.Build(covariance, key.Threshold, dtype);
        projector.Save(stem, key);
        return projector;
    }

    private string StemOf(ProjectorCacheKey key) => Path.Combine(Folder, key.FileStem);
}
