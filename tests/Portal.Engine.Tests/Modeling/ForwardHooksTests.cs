using Lethe.Engine.Modeling;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Modeling;

public class ForwardHooksTests
{
    private static readonly long[,] Ids = { { 1, 5, 9, 12 }, { 1, 7, 7, 3 } };

    [Fact]
    public void CapturedKeyTimesDownProjEqualsMlpOutput()
    {
        TorchRuntime.Initialise();
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 4);
        using var ids = tensor(Ids);
        var hooks = new ForwardHooks();
        hooks.CaptureDownProjInputAt.Add(1);
        hooks.CaptureLayerOutputAt.Add(0);
        hooks.CaptureLayerOutputAt.Add(1);
        using (no_grad())
        {
            model.Forward(ids, hooks: hooks).Dispose();
        }
        var key = hooks.DownProjInputs[1];
        Assert.Equal(new long[] { 2, 4, 64 }, key.shape);
        // layer 1 output = input + attention + MLP; recompute MLP from the layer-0 output and compare.
        var layer = model.Layers[1];
        using (no_grad())
        {
            var input = hooks.LayerOutputs[0];
            using var mask = ones(2, 4, dtype: ScalarType.Int64);
            var (cos, sin) = RotaryEmbedding.CosSin(LlamaForCausalLM.PositionIds(mask), RotaryEmbedding.InverseFrequencies(model.Config));
            var afterAttention = input + layer.SelfAttention.Forward(layer.InputLayerNorm.Forward(input), cos, sin,
                LlamaForCausalLM.AttentionAllowed(mask, 0, 4), 1, null);
            var mlpOut = hooks.LayerOutputs[1] - afterAttention;
            var keyTimesW = key.matmul(model.DownProjWeight(1).t());
            Assert.True(keyTimesW.allclose(mlpOut, rtol: 1e-4, atol: 1e-5));
        }
    }

    [Fact]
    public void ForwardAfterALayerFromItsCapturedOutputEqualsTheWholeForward()
    {
        TorchRuntime.Initialise();
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 4);
        using var ids = tensor(new long[,] { { 9, 1, 5, 9, 12 }, { 0, 1, 7, 7, 3 } }); // second row left-padded
        using var mask = tensor(new long[,] { { 1, 1, 1, 1, 1 }, { 0, 1, 1, 1, 1 } });
        using var hooks = new ForwardHooks();
        hooks.CaptureLayerOutputAt.Add(0);
        using (no_grad())
        {
            using var whole = model.Forward(ids, mask, hooks);
            using var resumed = model.ForwardAfterLayer(0, hooks.LayerOutputs[0], mask);
            Assert.True(resumed.allclose(whole, rtol: 1e-5, atol: 1e-5));
            Assert.Throws<ArgumentException>(() => model.ForwardAfterLayer(model.LayerCount, hooks.LayerOutputs[0], mask));
        }
    }

    [Fact]
    public void LayerOutputEditChangesLogitsAndIsDifferentiable()
    {
        TorchRuntime.Initialise();
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 4);
        foreach (var p in model.parameters())
        {
            p.requires_grad = false;
        }
        using var ids = tensor(Ids);
        using var plain = no_grad_logits(model, ids, null);
        using var delta = zeros(32, requires_grad: true);
        using var one = ones(32);
        var hooks = new ForwardHooks();
        // add delta + 1 at position 2 of every row of layer 1's output
        hooks.LayerOutputEdits[1] = h =>
        {
            var positionMask = zeros(1, 4, 1);
            positionMask[0, 2, 0] = tensor(1f);
            return h + positionMask * (delta + one);
        };
        hooks.CaptureLayerOutputAt.Add(1);
        using var edited = model.Forward(ids, hooks: hooks);
        Assert.False(edited.allclose(plain));
        using var sameBeforePosition = edited.narrow(1, 0, 2);
        Assert.True(sameBeforePosition.allclose(plain.narrow(1, 0, 2), atol: 1e-6));
        using var loss = edited[0, 3, 5];
        loss.backward();
        Assert.NotNull(delta.grad);
        Assert.True(delta.grad!.abs().sum().item<float>() > 0);
        Assert.True(hooks.LayerOutputs[1].requires_grad);
    }

    private static Tensor no_grad_logits(LlamaForCausalLM model, Tensor ids, ForwardHooks? hooks)
    {
        using var noGrad = no_grad();
        return model.Forward(ids, hooks: hooks);
    }

    [Fact]
    public void ResizeTokenEmbeddingsAddsMeanRowsAndKeepsTying()
    {
        using var tied = new LlamaForCausalLM(TinyModels.Config(tied: true), seed: 1);
        using var mean = tied.EmbeddingWeight.mean([0]).detach().clone();
        tied.ResizeTokenEmbeddings(42);
        Assert.Equal(42, tied.Config.VocabSize);
        Assert.Equal(new long[] { 42, 32 }, tied.EmbeddingWeight.shape);
        Assert.Same(tied.EmbeddingWeight, tied.OutputWeight);
        Assert.True(tied.EmbeddingWeight[41].allclose(mean));
        Assert.Contains(tied.named_parameters(), p => p.name == "model.embed_tokens.weight" && p.parameter.shape[0] == 42);

        using var untied = new LlamaForCausalLM(TinyModels.Config(tied: false), seed: 1);
        untied.ResizeTokenEmbeddings(41);
        Assert.Equal(new long[] { 41, 32 }, untied.OutputWeight.shape);
        Assert.NotSame(untied.EmbeddingWeight, untied.OutputWeight);
        using var ids = tensor(new long[,] { { 40, 3 } });
        using var logits = untied.Forward(ids);
        Assert.Equal(new long[] { 1, 2, 41 }, logits.shape);
    }

    [Fact]
    public void TokenIdOutsideVocabularyIsRejected()
    {
        using var model = new LlamaForCausalLM(TinyModels.Config());
        using var ids = tensor(new long[,] { { 1, 40 } });
        var e = Assert.Throws<ArgumentException>(() => model.Forward(ids));
        Assert.Contains("outside the vocabulary [0, 40)", e.Message);
    }

    [Fact]
    public void Running_only_up_to_a_layer_captures_what_the_whole_forward_captures()
    {
        TorchRuntime.Initialise();
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 4);
        using var ids = tensor(Ids);
        using var mask = tensor(new long[,] { { 1, 1, 1, 1 }, { 1, 1, 1, 0 } });
        using var whole = new ForwardHooks();
        using var partial = new ForwardHooks();
        foreach (var hooks in new[] { whole, partial })
        {
            hooks.CaptureDownProjInputAt.Add(0);
            hooks.CaptureLayerOutputAt.Add(0);
        }

        using (no_grad())
        {
            model.Forward(ids, mask, whole).Dispose();
            using var output = model.LayerOutput(ids, mask, 0, partial);
            Assert.True(output.allclose(partial.LayerOutputs[0]));
        }

        Assert.True(partial.DownProjInputs[0].allclose(whole.DownProjInputs[0]));
        Assert.True(partial.LayerOutputs[0].allclose(whole.LayerOutputs[0]));
        Assert.Throws<ArgumentException>(() => model.LayerOutput(ids, mask, model.LayerCount));
    }

    [Fact]
    public void The_layers_above_one_from_a_frozen_prefix_give_the_whole_pass_columns_and_their_gradients()
    {
        TorchRuntime.Initialise();
        using var model = new LlamaForCausalLM(TinyModels.Config(), seed: 4);
        using var ids = tensor(new long[,] { { 1, 5, 9, 12, 4, 8 }, { 1, 7, 7, 3, 2, 0 }, { 1, 3, 2, 0, 0, 0 } }); // right-padded
        using var mask = tensor(new long[,] { { 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1, 0 }, { 1, 1, 1, 0, 0, 0 } });
        using var hooks = new ForwardHooks();
        hooks.CaptureLayerOutputAt.Add(0);
        using (no_grad())
        {
            model.LayerOutput(ids, mask, 0, hooks).Dispose();
        }
        var after = hooks.LayerOutputs[0];
        using var cache = model.UpperLayerCache(0, after, mask);
        using var rows = tensor(new long[] { 1, 0 }); // a chunk of two sequences, from column 2 on
        using var prefix = cache.Prefix(rows, 2);
        var delta = zeros(1, 1, after.shape[2]).requires_grad_(true);
        var edited = after.index_select(0, rows) + delta * tensor(new float[] { 0, 0, 1, 0, 0, 0 }).reshape(1, 6, 1); // delta at column 2

        var whole = model.HiddenAfterLayer(0, edited, mask.index_select(0, rows));
        var suffix = model.HiddenAfterLayer(0, edited.narrow(1, 2, 4), mask.index_select(0, rows), prefix);

        Assert.True(suffix.allclose(whole.narrow(1, 2, 4), rtol: 1e-5, atol: 1e-5));
        var wholeGrad = autograd.grad([whole.narrow(1, 3, 2).sum()], [delta], retain_graph: true)[0];
        var suffixGrad = autograd.grad([suffix.narrow(1, 1, 2).sum()], [delta])[0];
        Assert.True(wholeGrad.abs().sum().item<float>() > 0);
        Assert.True(suffixGrad.allclose(wholeGrad, rtol: 1e-4, atol: 1e-5));
        Assert.Equal(2, prefix.Length);
        Assert.Throws<ArgumentException>(() => model.HiddenAfterLayer(0, edited.narrow(1, 2, 4), mask.index_select(0, rows), cache)); // not frozen
    }
}
