using Lethe.Engine.Modeling;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Modeling;

public class TokenBatchAndCacheTests
{
    [Fact]
    public void BatchShiftsTargetsAndMasksPromptAndPads()
    {
        using var batch = TokenBatch.Build([new([1, 5], [7, 2]), new([1], [9, 9, 2])], padId: 0);
        Assert.Equal(new long[] { 1, 5, 7, 1, 9, 9 }, batch.InputIds.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 1 }, batch.AttentionMask.data<long>().ToArray());
        Assert.Equal(new long[] { -100, 7, 2, 9, 9, 2 }, batch.Targets.data<long>().ToArray());
        Assert.Equal(5, batch.SupervisedTokens);

        using var padded = TokenBatch.Build([new([1, 5], [7, 2]), new([1], [3])], padId: 0, supervisePrompt: true);
        Assert.Equal(new long[] { 1, 5, 7, 1, 0, 0 }, padded.InputIds.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1, 0, 0 }, padded.AttentionMask.data<long>().ToArray());
        Assert.Equal(new long[] { 5, 7, 2, 3, -100, -100 }, padded.Targets.data<long>().ToArray());
    }

    [Fact]
    public void EmptyPromptIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => TokenBatch.Build([new([], [7, 2])], padId: 0));
        Assert.Contains("at least one prompt token", e.Message);
    }

    [Fact]
    public void IncrementalCachedForwardEqualsFullForward()
    {
        TorchRuntime.Initialise();
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 2);
        using var noGrad = no_grad();
        using var ids = tensor(new long[,] { { 0, 0, 1, 5, 9, 12 }, { 1, 7, 3, 3, 8, 4 } });
        using var mask = tensor(new long[,] { { 0, 0, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1, 1 } });
        using var full = model.Forward(ids, mask);
        using var cache = new KvCache(model.LayerCount);
        using var first = model.Forward(ids[.., ..4], mask[.., ..4], cache: cache);
        using var second = model.Forward(ids[.., 4..5], mask[.., ..5], cache: cache);
        using var third = model.Forward(ids[.., 5..], mask, cache: cache);
        Assert.Equal(6, cache.Length);
        using var stitched = cat([first, second, third], 1);
        using var realTokens = mask.unsqueeze(-1).to(ScalarType.Float32);
        Assert.True((stitched * realTokens).allclose(full * realTokens, rtol: 1e-4, atol: 1e-5));
        var e = Assert.Throws<ArgumentException>(() => model.Forward(ids[.., ..1], mask, cache: cache));
        Assert.Contains("cached + T", e.Message);
    }
}
