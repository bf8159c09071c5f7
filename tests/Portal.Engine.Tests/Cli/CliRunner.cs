using System.CommandLine;
using Lethe.Cli;

namespace Lethe.Engine.Tests.Cli;

/// <summary>Runs the `lethe` command line in-process and captures its exit code, output and error text.</summary>
public static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
