using Lethe.Engine.Modeling;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Modeling;

public class TokenPositionsTests
{
    [Fact]
    public void GatherPicksOneVectorPerRow()
    {
        using var sequence = arange(24, dtype: ScalarType.Float32).view(2, 3, 4);
        using var picked = TokenPositions.Gather(sequence, [2, 0]);
        Assert.Equal(new float[] { 8, 9, 10, 11, 12, 13, 14, 15 }, picked.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => TokenPositions.Gather(sequence, [3, 0]));
    }

    [Fact]
    public void AddAtPositionsEditsOnlyThosePositionsAndIsDifferentiable()
    {
        TorchRuntime.Initialise();
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 6);
        using var ids = tensor(new long[,] { { 1, 5, 9, 12 }, { 1, 7, 7, 3 } });
        using var delta = full(32, 0.5f, requires_grad: true);
        using var hooks = new ForwardHooks();
        hooks.AddAtPositions(1, delta, [1, 2]);
        hooks.CaptureLayerOutputAt.Add(1);
        hooks.CaptureDownProjInputAt.Add(2);
        using var edited = model.Forward(ids, hooks: hooks);
        using var plainHooks = new ForwardHooks();
        plainHooks.CaptureLayerOutputAt.Add(1);
        using (no_grad())
        {
            model.Forward(ids, hooks: plainHooks).Dispose();
        }
        using var difference = hooks.LayerOutputs[1] - plainHooks.LayerOutputs[1];
        var changed = difference.abs().sum(-1).data<float>().ToArray(); // [B*T]
        Assert.Equal(new[] { false, true, false, false, false, false, true, false }, changed.Select(c => c > 1e-4).ToArray());
        using var keys = TokenPositions.Gather(hooks.DownProjInputs[2], [1, 2]);
        using var loss = keys.pow(2).sum() + edited[0, 3, 4];
        loss.backward();
        Assert.True(delta.grad!.abs().sum().item<float>() > 0);
    }
}
