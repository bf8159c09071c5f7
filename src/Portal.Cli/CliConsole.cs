using System.Globalization;
using Spectre.Console;

namespace Lethe.Cli;

/// <summary>Console helpers shared by the verbs.</summary>
public static class CliConsole
{
    /// <summary>A Spectre console on the invocation's output; plain text (no ANSI) when that is not the terminal.</summary>
    public static IAnsiConsole For(TextWriter output)
    {
        var terminal = IsTerminal(output);
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
    }

    /// <summary>True when <paramref name="output"/> is the process's own, not redirected, standard output.</summary>
    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>A metric value with 4 decimals, "—" when absent.</summary>
    public static string Metric(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "—";
}
