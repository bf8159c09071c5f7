using System.CommandLine;
using Lethe.Cli.Verbs;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

/// <summary>The erase verb's argument errors (no model needed).</summary>
public sealed class EraseVerbTests
{
    [Theory]
    [InlineData("npo", "method npo not available")]
    [InlineData("magic", "unknown method 'magic'")]
    public void Methods_other_than_unierase_are_refused_clearly(string method, string expected)
    {
        var (code, error) = Run("--model", "m", "--forget", "f.json", "--out", "o", "--method", method);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_missing_forget_file_is_named()
    {
        var (code, error) = Run("--model", "m", "--forget", "/nonexistent/forget.json", "--retain", "r.json", "--out", "o");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/forget.json", error);
    }

    [Fact]
    public void An_unknown_mode_is_refused()
    {
        var (code, error) = Run("--model", "m", "--forget", "f.json", "--out", "o", "--mode", "sideways");
        Assert.Equal(1, code);
        Assert.Contains("unknown mode 'sideways'", error);
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        var root = new RootCommand { new EraseVerb().Build() };
        var error = new StringWriter();
        var parsed = root.Parse(["erase", .. args]);
        var code = parsed.Invoke(new InvocationConfiguration { Error = error, Output = new StringWriter() });
        return (code, error.ToString());
    }
}
