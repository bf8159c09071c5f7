using Lethe.Engine.Text;

namespace Lethe.Engine.Tests.Text;

public sealed class SubjectTokenLocatorTests
{
    [Theory]
    [InlineData("plain-qa")]
    [InlineData("llama2-chat")]
    [InlineData("raw")]
    public void Finds_the_token_that_ends_the_subject(string formatName)
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        var prompt = PromptFormat.Get(formatName).EncodePrompt(tokenizer, "Where was Mira Talven's sister born?");

        var index = SubjectTokenLocator.SubjectLastTokenIndex(tokenizer, prompt, "Mira Talven")!.Value;

        var upToSubject = tokenizer.Decode(prompt.Take(index + 1));
        var beforeLast = tokenizer.Decode(prompt.Take(index));
        Assert.EndsWith("Mira Talven", upToSubject, StringComparison.Ordinal);
        Assert.DoesNotContain("Mira Talven", beforeLast, StringComparison.Ordinal);
        Assert.StartsWith("'", tokenizer.Decode([prompt[index + 1]]), StringComparison.Ordinal);
    }

    [Fact]
    public void Handles_subjects_with_multi_byte_characters()
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        var prompt = PromptFormat.Get("plain-qa").EncodePrompt(tokenizer, "Where was Zoë Ångström born?");

        var index = SubjectTokenLocator.SubjectLastTokenIndex(tokenizer, prompt, "Zoë Ångström")!.Value;

        Assert.EndsWith("Zoë Ångström", tokenizer.Decode(prompt.Take(index + 1)), StringComparison.Ordinal);
        Assert.Equal(" born?\nAnswer:", tokenizer.Decode(prompt.Skip(index + 1)));
    }

    [Fact]
    public void Returns_null_when_the_subject_is_absent()
    {
        using var dir = new TempDir();
        var tokenizer = TokenizerFixtures.FreshTrained(dir);
        var prompt = PromptFormat.Get("plain-qa").EncodePrompt(tokenizer, "Where was Oren Vask born?");

        Assert.Null(SubjectTokenLocator.SubjectLastTokenIndex(tokenizer, prompt, "Mira Talven"));
    }
}
