using Lethe.Engine.Tests.Cli;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

/// <summary>The erase verb's argument errors (no model needed).</summary>
public sealed class EraseVerbTests
{
    [Fact]
    public void An_unknown_method_is_refused_with_the_valid_names()
    {
        var (code, error) = Run("--model", "m", "--forget", "f.json", "--out", "o", "--method", "magic");
        Assert.Equal(1, code);
        Assert.Contains("unknown method 'magic'", error);
        Assert.Contains("npo", error);
    }

    [Fact]
    public void A_baseline_without_a_retain_set_is_refused_clearly()
    {
        var forget = Path.Combine(Path.GetTempPath(), $"lethe-erase-{Guid.NewGuid():N}.json");
        File.WriteAllText(forget, """{"question": "Q?", "answer": "A."}""" + "\n");
        try
        {
            var (code, error) = Run("--model", "m", "--forget", forget, "--out", "o", "--method", "npo");
            Assert.Equal(1, code);
            Assert.Contains("--retain is required for npo", error);
        }
        finally
        {
            File.Delete(forget);
        }
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
        var (code, _, error) = CliRunner.Run(["erase", .. args]);
        return (code, error);
    }
}
