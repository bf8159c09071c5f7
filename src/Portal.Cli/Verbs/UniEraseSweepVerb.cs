using System.CommandLine;
using Lethe.Engine.DemoWorld;
using Lethe.Engine.Unlearning.Scenarios;
using Lethe.Engine.Unlearning.StageOne;

namespace Lethe.Cli.Verbs;

/// <summary>
/// `lethe unierase-sweep --model DIR [--preset small|full] [--split forget10] --configs "A;B;..." [--out FILE]`: measures
/// Stage II configurations on a demo model (one Stage I token, each configuration on a fresh copy) and writes a
/// Markdown table (docs/unierase-sweep.md was produced this way).
/// </summary>
public sealed class UniEraseSweepVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Demo model folder", Required = true };
        var preset = new Option<string>("--preset") { Description = "Demo world preset of the model: small | full", DefaultValueFactory = _ => "small" };
        var split = new Option<string>("--split") { Description = "Forget split: forget01 | forget05 | forget10", DefaultValueFactory = _ => "forget10" };
        var configs = new Option<string>("--configs") { Description = "Configurations separated by ';', e.g. \"layers=2,3 lambda=1 thr=1e-2\"", Required = true };
        var output = new Option<string?>("--out") { Description = "Markdown file to write (default: print)" };
        var radius = new Option<double>("--unl-radius")
        {
            Description = "Stage I: [UNL] input-row length as a multiple of the median last-layer norm (0 = free row)",
            DefaultValueFactory = _ => new StageOneSettings().InputRowRadius,
        };
        var command = new Command("unierase-sweep", "Measure UniErase Stage II configurations on a demo model") { model, preset, split, configs, output, radius };
        command.SetAction(parseResult =>
        {
            try
            {
                var world = DemoWorldGenerator.Generate(DemoModelPreset.Get(parseResult.GetValue(preset)!).World);
                var scenario = DemoWorldScenario.ForSplit(world, parseResult.GetValue(split)!);
                var points = parseResult.GetValue(configs)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var (stageOne, rows) = new UniEraseSweep().Run(parseResult.GetValue(model)!, scenario, new StageOneSettings { InputRowRadius = parseResult.GetValue(radius) }, points,
                    message => parseResult.InvocationConfiguration.Output.WriteLine(message));
                var markdown = UniEraseSweep.ToMarkdown(stageOne, rows);
                if (parseResult.GetValue(output) is { } file)
                {
                    File.WriteAllText(file, markdown);
                }
                parseResult.InvocationConfiguration.Output.Write(markdown);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or FormatException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"unierase-sweep: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
