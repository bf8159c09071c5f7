using Lethe.Engine.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Modeling;

public class ModelPiecesTests
{
    private static Generator Seeded(ulong seed = 1) => new(seed);

    [Fact]
    public void RmsNormMatchesHandComputation()
    {
        using var norm = new RmsNorm(2, eps: 1e-6);
        using (no_grad())
        {
            norm.Weight.copy_(tensor(new float[] { 2f, 0.5f }));
        }
        using var x = tensor(new float[] { 3, 4 }, [1, 2]);
        var y = norm.Forward(x).data<float>().ToArray();
        var rms = Math.Sqrt((9 + 16) / 2.0 + 1e-6);
        Assert.Equal(3 / rms * 2, y[0], 5);
        Assert.Equal(4 / rms * 0.5, y[1], 5);
    }

    [Fact]
    public void DefaultRotaryInverseFrequenciesAreThetaPowers()
    {
        var config = TinyModels.Config() with { HiddenSize = 32, NumAttentionHeads = 4, RopeTheta = 10000 };
        var inv = RotaryEmbedding.InverseFrequencies(config).data<float>().ToArray();
        Assert.Equal(4, inv.Length);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(1 / Math.Pow(10000, 2.0 * i / 8), inv[i], 6);
        }
    }

    [Fact]
    public void Llama3ScalingAdjustsInverseFrequenciesByBand()
    {
        // head_dim 16, theta 500000, factor 8, low 1, high 4, original 64:
        // wavelen > 64 -> inv / 8; wavelen < 16 -> unchanged; between -> smooth interpolation.
        var scaling = new RopeScaling("llama3", 8, 1, 4, 64);
        var config = TinyModels.Config() with { HiddenSize = 64, NumAttentionHeads = 4, RopeTheta = 500000, RopeScaling = scaling };
        var inv = RotaryEmbedding.InverseFrequencies(config).data<float>().ToArray();
        Assert.Equal(8, inv.Length);
        var sawLow = false; var sawHigh = false; var sawMedium = false;
        for (var i = 0; i < 8; i++)
        {
            var baseInv = 1 / Math.Pow(500000, 2.0 * i / 16);
            var wavelen = 2 * Math.PI / baseInv;
            double expected;
            if (wavelen < 16) { expected = baseInv; sawHigh = true; }
            else if (wavelen > 64) { expected = baseInv / 8; sawLow = true; }
            else
            {
                var smooth = (64 / wavelen - 1) / (4 - 1);
                expected = (1 - smooth) * baseInv / 8 + smooth * baseInv;
                sawMedium = true;
            }
            Assert.True(Math.Abs(expected - inv[i]) <= 1e-5 * expected, $"i={i}: expected {expected}, got {inv[i]}");
        }
        Assert.True(sawLow && sawHigh && sawMedium, "test frequencies should cover all three bands");
    }

    [Fact]
    public void RotaryRotatesEachPairOfHalvesByPositionAngle()
    {
        // head_dim 4: pairs (x0,x2) rotate by pos*inv0, (x1,x3) by pos*inv1.
        using var invFreq = tensor(new float[] { 1f, 0.1f });
        using var positions = tensor(new long[] { 0, 3 }, [1, 2]);
        var (cos, sin) = RotaryEmbedding.CosSin(positions, invFreq);
        using var x = tensor(new float[] { 1, 2, 3, 4, 1, 2, 3, 4 }, [1, 1, 2, 4]);
        var y = RotaryEmbedding.Apply(x, cos, sin).data<float>().ToArray();
        Assert.Equal(new float[] { 1, 2, 3, 4 }, y[..4]);
        double a0 = 3 * 1.0, a1 = 3 * 0.1;
        Assert.Equal(1 * Math.Cos(a0) - 3 * Math.Sin(a0), y[4], 5);
        Assert.Equal(2 * Math.Cos(a1) - 4 * Math.Sin(a1), y[5], 5);
        Assert.Equal(3 * Math.Cos(a0) + 1 * Math.Sin(a0), y[6], 5);
        Assert.Equal(4 * Math.Cos(a1) + 2 * Math.Sin(a1), y[7], 5);
    }

    [Fact]
    public void SwiGluMatchesHandComputation()
    {
        var config = TinyModels.Config() with { HiddenSize = 2, IntermediateSize = 2, NumAttentionHeads = 1, NumKeyValueHeads = 1 };
        using var mlp = new LlamaMlp(config, Seeded());
        using (no_grad())
        {
            mlp.GateProj.Weight.copy_(tensor(new float[] { 1, 0, 0, -1 }, [2, 2]));
            mlp.UpProj.Weight.copy_(tensor(new float[] { 2, 0, 1, 1 }, [2, 2]));
            mlp.DownProj.Weight.copy_(tensor(new float[] { 1, 1, 0, 2 }, [2, 2]));
        }
        using var x = tensor(new float[] { 0.5f, 1.5f }, [1, 2]);
        static double Silu(double v) => v / (1 + Math.Exp(-v));
        var k0 = Silu(0.5) * (2 * 0.5);
        var k1 = Silu(-1.5) * (0.5 + 1.5);
        var y = mlp.Forward(x).data<float>().ToArray();
        Assert.Equal(k0 + k1, y[0], 5);
        Assert.Equal(2 * k1, y[1], 5);
    }

    [Fact]
    public void GroupedQueryAttentionMatchesNaiveLoops()
    {
        TorchRuntime.Initialise();
        var config = TinyModels.Config(kvHeads: 2) with { HiddenSize = 16, NumAttentionHeads = 4 }; // head_dim 4, 2 query heads per kv head
        using var attention = new LlamaAttention(config, Seeded(9));
        using var generator = Seeded(2);
        using var x = randn([2, 5, 16], generator: generator);
        using var mask = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 5]);
        using var positions = LlamaForCausalLM.PositionIds(mask);
        using var invFreq = RotaryEmbedding.InverseFrequencies(config);
        var (cos, sin) = RotaryEmbedding.CosSin(positions, invFreq);
        using var allowed = LlamaForCausalLM.AttentionAllowed(mask, 0, 5);
        using var actual = attention.Forward(x, cos, sin, allowed, 0, null);

        // Naive: per batch row, head, query position: softmax over allowed keys of q.k/2, weighted sum of v.
        var q = RotaryEmbedding.Apply(attention.QProj.Forward(x).view(2, 5, 4, 4).transpose(1, 2), cos, sin);
        var k = RotaryEmbedding.Apply(attention.KProj.Forward(x).view(2, 5, 2, 4).transpose(1, 2), cos, sin);
        var v = attention.VProj.Forward(x).view(2, 5, 2, 4).transpose(1, 2);
        var context = zeros(2, 5, 16);
        var m = mask.data<long>().ToArray();
        for (var b = 0; b < 2; b++)
        for (var h = 0; h < 4; h++)
        for (var i = 0; i < 5; i++)
        {
            var keys = Enumerable.Range(0, i + 1).Where(j => m[b * 5 + j] == 1).ToList();
            var fullyMasked = keys.Count == 0;
            if (fullyMasked)
            {
                keys = Enumerable.Range(0, 5).ToList(); // a pad query sees no key: uniform weights, as HF's min-value mask gives
            }
            var scores = keys.Select(j => fullyMasked ? 0 : q[b, h, i].dot(k[b, h / 2, j]).item<float>() / 2.0).ToArray();
            var max = scores.Max();
            var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
            var total = weights.Sum();
            var sum = zeros(4);
            for (var n = 0; n < keys.Count; n++)
            {
                sum += v[b, h / 2, keys[n]] * (float)(weights[n] / total);
            }
            context[b, i, TensorIndex.Slice(h * 4, h * 4 + 4)] = sum;
        }
        using var expected = attention.OProj.Forward(context);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max diff {(actual - expected).abs().max().item<float>()}");
    }
}
