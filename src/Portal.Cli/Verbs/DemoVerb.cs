using System.CommandLine;
using System.Globalization;
using Lethe.Engine.DemoWorld;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>`lethe demo build [--out DIR] [--small] [--force]`: builds (or finds cached) the demo model and prints its figures.</summary>
public sealed class DemoVerb : ICliVerb
{
    /// <summary>Default cache of demo models: $LETHE_CACHE or ~/.cache/lethe.</summary>
    public static string DefaultCacheDirectory =>
        Environment.GetEnvironmentVariable("LETHE_CACHE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "lethe");

    public Command Build()
    {
        var output = new Option<string?>("--out") { Description = "Model folder to write (default: a cached folder under $LETHE_CACHE or ~/.cache/lethe)" };
        var small = new Option<bool>("--small") { Description = "Build the small test world's model (about a minute) instead of the full demo model" };
        var force = new Option<bool>("--force") { Description = "Rebuild even when the folder already holds this model" };
        var build = new Command("build", "Generate the demo world, train the demo model on it, check memorisation and save it") { output, small, force };
        build.SetAction(parseResult =>
        {
            var preset = parseResult.GetValue(small) ? DemoModelPreset.Small : DemoModelPreset.Full;
            var folder = parseResult.GetValue(output) ?? DemoModelBuilder.FolderFor(preset, DefaultCacheDirectory);
            var console = AnsiConsole.Console;
            try
            {
                if (!parseResult.GetValue(force) && DemoModelBuilder.IsComplete(folder, preset))
                {
                    console.MarkupLine($"[green]up to date[/]: {Markup.Escape(folder)}");
                    Render(console, DemoModelBuildRecord.TryRead(folder)!, folder);
                    return 0;
                }
                console.MarkupLine($"Building the [bold]{preset.Name}[/] demo model into {Markup.Escape(folder)}");
                var record = TrainingProgressView.Run(console, view => DemoModelBuilder.Build(preset, folder, new InlineProgress<DemoModelBuildProgress>(p =>
                {
                    if (p.Training is { } training) { view.Training(training); } else { view.Stage(p.Stage); }
                })));
                Render(console, record, folder);
                return record.ReachesBar ? 0 : 2;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"demo build: {e.Message}");
                return 1;
            }
        });
        return new Command("demo", "The embedded demo model") { build };
    }

    private static void Render(IAnsiConsole console, DemoModelBuildRecord record, string folder)
    {
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Title($"demo model '{record.Preset}'").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("folder", Markup.Escape(folder));
        table.AddRow("parameters", record.Parameters.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("training examples", record.TrainingExamples.ToString(CultureInfo.InvariantCulture));
        table.AddRow("threads", record.Threads.ToString(CultureInfo.InvariantCulture));
        table.AddRow("training time", $"{F(record.TrainingSeconds, "0.0")} s ({F(record.TrainingTokensPerSecond, "0")} tokens/s)");
        table.AddRow("total build time", $"{F(record.TotalSeconds, "0.0")} s");
        table.AddRow("final loss", F(record.FinalLoss, "0.0000"));
        table.AddRow("memorised (ROUGE-L recall >= 0.9)",
            $"{record.MemorisationPassed}/{record.MemorisationTotal} = {F(record.MemorisationShare * 100, "0.0")}%  {(record.ReachesBar ? "[green]reaches the bar[/]" : "[red]below the bar[/]")}");
        table.AddRow("mean ROUGE-L recall", F(record.MeanRougeLRecall, "0.000"));
        console.Write(table);
    }
}
