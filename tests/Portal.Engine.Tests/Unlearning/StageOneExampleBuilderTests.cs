using Lethe.Engine.Unlearning.StageOne;

namespace Lethe.Engine.Tests.Unlearning;

public class StageOneExampleBuilderTests
{
    private const long Unl = 99;
    private const long Eos = 2;
    private const long Ignore = StageOneExample.IgnoreIndex;
    private static readonly long[] Prompt = [10, 11, 12];
    private static readonly long[] Refusal = [40, 41];

    private readonly StageOneExampleBuilder _builder = new(Unl, Eos);

    [Fact]
    public void ReleasedSequenceMasksUpToTheFirstUnl()
    {
        var example = _builder.Build(Prompt, Refusal);

        Assert.Equal([10, 11, 12, Unl, 40, 41, Unl, Eos], example.InputIds);
        Assert.Equal([Ignore, Ignore, Ignore, Ignore, 40, 41, Unl, Eos], example.Labels);
        Assert.Equal(4, example.SupervisedCount);
    }

    [Fact]
    public void SecondUnlCanBeMaskedOrOmitted()
    {
        var masked = _builder.Build(Prompt, Refusal, SecondUnlTarget.Masked);
        var omitted = _builder.Build(Prompt, Refusal, SecondUnlTarget.Omitted);

        Assert.Equal([10, 11, 12, Unl, 40, 41, Unl, Eos], masked.InputIds);
        Assert.Equal([Ignore, Ignore, Ignore, Ignore, 40, 41, Ignore, Eos], masked.Labels);
        Assert.Equal([10, 11, 12, Unl, 40, 41, Eos], omitted.InputIds);
        Assert.Equal([Ignore, Ignore, Ignore, Ignore, 40, 41, Eos], omitted.Labels);
    }

    [Fact]
    public void BothPromptFormatsShareTheRefusal()
    {
        var (raw, formatted) = _builder.BuildBothFormats(Prompt, [7, 10, 11, 12, 8], Refusal);

        Assert.Equal(8, raw.InputIds.Length);
        Assert.Equal([7, 10, 11, 12, 8, Unl, 40, 41, Unl, Eos], formatted.InputIds);
        Assert.Equal(5 + 1, formatted.Labels.TakeWhile(label => label == Ignore).Count());
    }

    [Fact]
    public void UnlInsideUserTokensIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => _builder.Build([10, Unl, 12], Refusal));
        Assert.Contains("prompt holds the [UNL] id at token 1", error.Message);
        Assert.Contains("refusal has no tokens", Assert.Throws<ArgumentException>(() => _builder.Build(Prompt, [])).Message);
        Assert.Throws<ArgumentException>(() => new StageOneExampleBuilder(5, 5));
    }

    [Fact]
    public void RefusalChoiceIsSeededDeterministicAndSpread()
    {
        string[] refusals = ["I don't know.", "I'm not sure about that.", "I have no information on that.", "That is beyond what I know."];
        var questions = Enumerable.Range(0, 200).Select(i => $"Where was person {i} born?").ToList();

        var first = questions.Select(new RefusalChooser(refusals, 42).IndexFor).ToList();
        var again = questions.AsEnumerable().Reverse().Select(new RefusalChooser(refusals, 42).IndexFor).Reverse().ToList();
        var otherSeed = questions.Select(new RefusalChooser(refusals, 43).IndexFor).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.All(Enumerable.Range(0, refusals.Length), index => Assert.InRange(first.Count(chosen => chosen == index), 25, 75));
        Assert.Contains("blank", Assert.Throws<ArgumentException>(() => new RefusalChooser(["ok", " "], 1)).Message);
    }

    [Fact]
    public void CollatePadsWithIgnoredLabelsAndMask()
    {
        var shortExample = _builder.Build([10], Refusal, SecondUnlTarget.Omitted);  // 5 tokens
        var longExample = _builder.Build(Prompt, Refusal);                          // 8 tokens

        using var batch = StageOneBatch.Collate([shortExample, longExample], padId: 0);

        Assert.Equal([2L, 8L], batch.InputIds.shape);
        Assert.Equal([10, Unl, 40, 41, Eos, 0, 0, 0], batch.InputIds[0].data<long>().ToArray());
        Assert.Equal([Ignore, Ignore, 40, 41, Eos, Ignore, Ignore, Ignore], batch.Labels[0].data<long>().ToArray());
        Assert.Equal([1L, 1, 1, 1, 1, 0, 0, 0], batch.AttentionMask[0].data<long>().ToArray());
        Assert.Contains("maximum length 6", Assert.Throws<ArgumentException>(() => StageOneBatch.Collate([longExample], 0, maxLength: 6)).Message);
    }
}
