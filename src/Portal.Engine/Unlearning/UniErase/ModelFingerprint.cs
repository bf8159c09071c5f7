using System.Security.Cryptography;
using Lethe.Engine.Modeling;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>SHA-256 over every parameter's name, shape and fp32 bytes (hex, first 16 chars): identifies a model version.</summary>
public static class ModelFingerprint
{
    public static string Of(LlamaForCausalLM model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name + string.Join(",", parameter.shape)));
            using var values = parameter.detach().to(ScalarType.Float32).cpu().contiguous();
            hash.AppendData(values.bytes); // the tensor's own memory, no managed copy
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
