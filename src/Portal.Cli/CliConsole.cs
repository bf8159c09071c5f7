using System.Globalization;
using Spectre.Console;

namespace Lethe.Cli;

/// <summary>Console helpers shared by the verbs.</summary>
public static class CliConsole
{
    /// <summary>Width of tables written to a file or pipe (a terminal uses its own width).</summary>
    public const int RedirectedWidth = 160;

    /// <summary>A Spectre console on the invocation's output; plain text (no ANSI) and <see cref="RedirectedWidth"/> columns when that is not the terminal.</summary>
    public static IAnsiConsole For(TextWriter output)
    {
        var terminal = IsTerminal(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }
        return console;
    }

    /// <summary>True when <paramref name="output"/> is the process's own, not redirected, standard output.</summary>
    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>A metric value with 4 decimals, "—" when absent.</summary>
    public static string Metric(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "—";
}
