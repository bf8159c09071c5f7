using System.CommandLine;
using Lethe.Engine;
using Lethe.Engine.DemoWorld;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Unlearning.Decoding;
using Lethe.Engine.Unlearning.Scenarios;
using Lethe.Engine.Unlearning.StageOne;

namespace Lethe.Cli.Verbs;

/// <summary>
/// Hidden verb `stage-one --model DIR [--preset small|full] [--split forget10] [--unl-radius K] [--show N]`: trains the
/// [UNL] token on a demo model (the sweep's Stage I data) and prints its ceiling, refusal after question + [UNL] on
/// trained and held-out questions, with the first held-out decodes that were not refusals.
/// </summary>
public sealed class StageOneVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Demo model folder", Required = true };
        var preset = new Option<string>("--preset") { Description = "Demo world preset of the model: small | full", DefaultValueFactory = _ => "small" };
        var split = new Option<string>("--split") { Description = "Forget split whose people the token trains on", DefaultValueFactory = _ => "forget10" };
        var radius = new Option<double>("--unl-radius") { Description = "Input-row radius multiple (0 = free row)", DefaultValueFactory = _ => new StageOneSettings().InputRowRadius };
        var targets = new Option<int>("--targets") { Description = "Refusal targets kept (the most likely sentences)", DefaultValueFactory = _ => new StageOneSettings().RefusalTargets };
        var epochs = new Option<string?>("--phase-epochs") { Description = "Epochs of each phase, comma-separated (default: the settings' schedule)" };
        var show = new Option<int>("--show") { Description = "Held-out decodes that were not refusals to print", DefaultValueFactory = _ => 12 };
        var command = new Command("stage-one", "Train the [UNL] token on a demo model and print its refusal ceiling") { Hidden = true };
        foreach (var option in new Option[] { model, preset, split, radius, targets, epochs, show })
        {
            command.Options.Add(option);
        }
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var world = DemoWorldGenerator.Generate(DemoModelPreset.Get(parseResult.GetValue(preset)!).World);
            var scenario = DemoWorldScenario.ForSplit(world, parseResult.GetValue(split)!);
            using var language = LanguageModel.Load(parseResult.GetValue(model)!);
            var data = scenario.StageOneData();
            var settings = new StageOneSettings { InputRowRadius = parseResult.GetValue(radius), RefusalTargets = parseResult.GetValue(targets) };
            if (parseResult.GetValue(epochs) is { } list)
            {
                var counts = list.Split(',').Select(int.Parse).ToList();
                settings = settings with { Phases = settings.Phases.Select((phase, i) => phase with { Epochs = i < counts.Count ? counts[i] : phase.Epochs }).ToList() };
            }
            using var token = new StageOneTrainer().Train(language, data, world.Refusals, settings, output.WriteLine);
            var detector = new RefusalDetector(world.Refusals);
            var misses = data.HeldOutQuestions.Zip(UnlearningDecoder.AnswerAfterToken(language, data.HeldOutQuestions))
                .Where(pair => !detector.IsRefusal(pair.Second.Text)).Take(parseResult.GetValue(show));
            foreach (var (question, answer) in misses)
            {
                output.WriteLine($"  not a refusal: {question} [UNL] -> {answer.Text}");
            }
            output.WriteLine($"refusal after [UNL]: trained {token.Report.TrainedRefusalRate:P1}, held out {token.Report.HeldOutRefusalRate:P1}, {token.Report.Seconds:0.0} s");
            return 0;
        });
        return command;
    }
}
