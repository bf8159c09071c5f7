using Lethe.Engine.Unlearning.ParameterShare;

namespace Lethe.Engine.Tests.Unlearning;

public class ParameterShareTests
{
    [Fact]
    public void Llama31EightBWithFiveDownProjectionsIs366Percent()
    {
        var result = ParameterShareCalculator.ForDownProjections(LlamaShape.Llama31_8B, [4, 5, 6, 7, 8]);

        Assert.Equal(8_030_261_248, result.TotalParameters);
        Assert.Equal(293_601_280, result.EditedParameters);
        Assert.Equal(3.66, Math.Round(result.Share * 100, 2));
        Assert.Equal("293.6M of 8.03B = 3.66%", result.ToString());
    }

    [Fact]
    public void TiedEmbeddingsAndTokenRowsAreCounted()
    {
        var tiny = new LlamaShape(VocabSize: 100, HiddenSize: 8, IntermediateSize: 16, LayerCount: 2, HeadCount: 2, KeyValueHeadCount: 1, TieWordEmbeddings: true);
        // 100*8 + 8 + 2 * (64 + 2*32 + 64 + 3*128 + 16) = 808 + 2*592
        Assert.Equal(1992, tiny.TotalParameters());

        var result = ParameterShareCalculator.Compute(tiny, [(1, LlamaMatrix.DownProjection), (1, LlamaMatrix.DownProjection)], addedTokenRows: 2);

        Assert.Equal(128 + 16, result.EditedParameters);
    }

    [Fact]
    public void BadShapesAndLayersAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ParameterShareCalculator.ForDownProjections(LlamaShape.Llama31_8B, [32]));
        Assert.Contains("0..31", error.Message);
        var shape = LlamaShape.Llama31_8B with { HeadCount = 30 };
        Assert.Contains("not divisible", Assert.Throws<ArgumentException>(() => shape.TotalParameters()).Message);
    }
}
