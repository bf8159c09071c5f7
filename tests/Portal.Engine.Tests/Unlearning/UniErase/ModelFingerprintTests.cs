using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Lethe.Engine.Modeling;
using Lethe.Engine.Tests.Modeling;
using Lethe.Engine.Unlearning.UniErase;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

public sealed class ModelFingerprintTests
{
    [Fact]
    public void The_fingerprint_hashes_every_parameter_name_shape_and_fp32_value_and_changes_with_one_weight()
    {
        TorchRuntime.Initialise();
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 4);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, parameter) in model.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name + string.Join(",", parameter.shape)));
            hash.AppendData(MemoryMarshal.AsBytes(parameter.detach().contiguous().data<float>().ToArray().AsSpan())); // a managed copy of the values
        }
        var expected = Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();

        Assert.Equal(expected, ModelFingerprint.Of(model));
        using (no_grad())
        {
            model.DownProjWeight(1)[0, 0] = model.DownProjWeight(1)[0, 0] + 1e-3f;
        }
        Assert.NotEqual(expected, ModelFingerprint.Of(model));
    }
}
