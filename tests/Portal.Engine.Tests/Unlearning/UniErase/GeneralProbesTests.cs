using Lethe.Engine.Unlearning.UniErase;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

public class GeneralProbesTests
{
    [Fact]
    public void QuestionsAreDistinctDeterministicAndVaried()
    {
        var questions = GeneralProbes.Questions(96);

        Assert.Equal(96, questions.Count);
        Assert.Equal(96, questions.Distinct().Count());
        Assert.Equal(questions, GeneralProbes.Questions(96));
        Assert.NotEqual(questions, GeneralProbes.Questions(96, seed: 7));
        Assert.All(questions, q => Assert.EndsWith("?", q));
        Assert.True(questions.Select(q => q.Split(' ')[0]).Distinct().Count() >= 5, "who/what/where/when/which/how forms");
        Assert.Empty(GeneralProbes.Questions(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GeneralProbes.Questions(-1));
    }
}
