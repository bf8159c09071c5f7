using Lethe.Engine.Unlearning.Edit;

namespace Lethe.Engine.Tests.Unlearning;

public class KeyPositionFinderTests
{
    private static readonly long[] Prompt = [1, 20, 21, 5, 20, 21, 7, 8];

    [Fact]
    public void SubjectLastIsTheEndOfTheLastSubjectOccurrence()
    {
        var position = KeyPositionFinder.Find(Prompt, KeyPositionKind.SubjectLast, [[20, 21]]);
        Assert.Equal(new KeyPosition(5, KeyPositionKind.SubjectLast, false), position);
    }

    [Fact]
    public void AnyTokenisationOfTheSubjectCounts()
    {
        var position = KeyPositionFinder.Find(Prompt, KeyPositionKind.SubjectLast, [[99, 21], [7]]);
        Assert.Equal(6, position.Index);
    }

    [Fact]
    public void MissingSubjectFallsBackToPromptLast()
    {
        var position = KeyPositionFinder.Find(Prompt, KeyPositionKind.SubjectLast, [[42, 43]]);
        Assert.Equal(new KeyPosition(7, KeyPositionKind.PromptLast, true), position);
        Assert.Equal(7, KeyPositionFinder.Find(Prompt, KeyPositionKind.PromptLast).Index);
    }

    [Fact]
    public void EmptyInputsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => KeyPositionFinder.Find([], KeyPositionKind.PromptLast));
        Assert.Contains("subject tokenisation", Assert.Throws<ArgumentException>(() => KeyPositionFinder.Find(Prompt, KeyPositionKind.SubjectLast, [[]])).Message);
    }
}
