using Lethe.Engine.Evaluation.Text;

namespace Lethe.Engine.Tests.Evaluation;

public sealed class RougeTests
{
    private static readonly RougeTokenizer Tokenizer = new(useStemmer: true);
    private static readonly RougeScorer Scorer = new();

    [Theory]
    [InlineData("", "")]
    [InlineData("   \t\n ", "")]
    [InlineData("Hello, World!", "hello world")]
    [InlineData("It's 05/11/1991.", "it s 05 11 1991")]
    [InlineData("Maire Lindqvist's novels", "mair lindqvist s novel")]
    [InlineData("e-mail & co-author", "e mail co author")]
    [InlineData("The running dogs", "the run dog")]
    [InlineData("café naïve", "caf na ve")]
    [InlineData("İstanbul", "i stanbul")]
    [InlineData("\u212Aelvin", "kelvin")]
    [InlineData("ABC123def", "abc123def")]
    [InlineData("was this", "was thi")]
    [InlineData("a an the", "a an the")]
    public void TokenizesLikeRougeScore(string text, string expected) =>
        Assert.Equal(expected, string.Join(' ', Tokenizer.Tokenize(text)));

    [Fact]
    public void WithoutStemmerTokensAreOnlyNormalised() =>
        Assert.Equal(["the", "running", "dogs"], new RougeTokenizer(useStemmer: false).Tokenize("The running dogs"));

    [Fact]
    public void RougeLRecallIsLcsOverReferenceLength()
    {
        // reference tokens: the cat sat on the mat (6); generation: the cat on mat → LCS 4
        Assert.Equal(4.0 / 6, Scorer.RougeLRecall("The cat sat on the mat", "the cat on mat"), 12);
        // order matters for LCS: reversed words share only one in order
        Assert.Equal(1.0 / 3, Scorer.RougeLRecall("alpha beta gamma", "gamma beta alpha"), 12);
    }

    [Fact]
    public void StemmingMakesInflectionsMatch() =>
        Assert.Equal(1.0, Scorer.RougeLRecall("She writes novels", "she writing novel"));

    [Fact]
    public void EmptySidesScoreZero()
    {
        Assert.Equal(0, Scorer.RougeLRecall("", "anything"));
        Assert.Equal(0, Scorer.RougeLRecall("something", "!!!"));
    }

    [Fact]
    public void Rouge1RecallClipsCounts() =>
        // reference: the the cat (3 tokens); generation has "the" once and "cat" → overlap 2
        Assert.Equal(2.0 / 3, Scorer.Rouge1Recall("the the cat", "the cat dog"), 12);
}
