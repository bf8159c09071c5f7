using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Rotary position embedding, HF convention (rotate_half over the two halves of each head):
/// inv_freq_i = theta^(-2i/d) (llama3 rope_scaling adjusts it), angle = pos * inv_freq,
/// q' = q * cos + rotate_half(q) * sin with cos/sin = cat(cos(angle), cos(angle)).
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>inv_freq [head_dim/2] in fp32, as HF `_compute_default_rope_parameters` / `_compute_llama3_parameters`.</summary>
    public static Tensor InverseFrequencies(LlamaConfig config)
    {
        using var scope = NewDisposeScope();
        var dim = config.HeadDim;
        var exponents = arange(0, dim, 2, dtype: ScalarType.Int64).to(ScalarType.Float32) / dim;
        var invFreq = 1.0f / pow(tensor((float)config.RopeTheta), exponents);
        if (config.RopeScaling is { } s)
        {
            invFreq = Llama3Adjust(invFreq, s);
        }
        return invFreq.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Llama 3 scaling: wavelengths above original_len/low_freq_factor are divided by factor, those below
    /// original_len/high_freq_factor are kept, the band between is interpolated with
    /// smooth = (original_len / wavelen - low) / (high - low): inv = (1 - smooth) * inv / factor + smooth * inv.
    /// </summary>
    private static Tensor Llama3Adjust(Tensor invFreq, RopeScaling s)
    {
        var lowFreqWavelen = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        var highFreqWavelen = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        var wavelen = 2 * Math.PI / invFreq;
        var scaled = where(wavelen > lowFreqWavelen, invFreq / s.Factor, invFreq);
        var smooth = (s.OriginalMaxPositionEmbeddings / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        var smoothed = (1 - smooth) * scaled / s.Factor + smooth * scaled;
        var isMedium = (wavelen >= highFreqWavelen).logical_and(wavelen <= lowFreqWavelen);
        return where(isMedium, smoothed, scaled);
    }

    /// <summary>positionIds [B,T] int64, invFreq [d/2] -> (cos, sin) each [B,1,T,d], ready to broadcast over heads.</summary>
    public static (Tensor Cos, Tensor Sin) CosSin(Tensor positionIds, Tensor invFreq)
    {
        using var scope = NewDisposeScope();
        var angles = positionIds.to(ScalarType.Float32).unsqueeze(-1) * invFreq; // [B,T,d/2]
        var emb = cat([angles, angles], -1).unsqueeze(1);                        // [B,1,T,d]
        return (emb.cos().MoveToOuterDisposeScope(), emb.sin().MoveToOuterDisposeScope());
    }

    /// <summary>x [B,H,T,d] -> x * cos + rotate_half(x) * sin, rotate_half(x) = cat(-x2, x1).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([x2.neg(), x1], -1);
        return (x * cos).Plus(rotated * sin).MoveToOuterDisposeScope();
    }
}
