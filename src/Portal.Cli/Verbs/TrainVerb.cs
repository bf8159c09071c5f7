using System.CommandLine;
using System.Globalization;
using Lethe.Engine;
using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Training.Qa;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>
/// `lethe train --data DIR --split NAME --out DIR [--config FILE] [--epochs N] [--check SPLIT] [--check-rows N]`:
/// trains a question/answer model from scratch on a TOFU-format folder (TOFU or a demo world).
/// </summary>
public sealed class TrainVerb : ICliVerb
{
    public Command Build()
    {
        var data = new Option<string>("--data") { Description = "TOFU-format folder (TOFU itself or a demo world written by `demo build`)", Required = true };
        var split = new Option<string>("--split") { Description = "Split to train on, e.g. full or retain90 (the file <split>.json)", Required = true };
        var output = new Option<string>("--out") { Description = "Model folder to write", Required = true };
        var config = new Option<string?>("--config") { Description = "JSON model recipe (snake_case keys of QaModelRecipe; absent keys keep defaults)" };
        var epochs = new Option<int?>("--epochs") { Description = "Override the recipe's number of epochs" };
        var check = new Option<string?>("--check") { Description = "Split whose questions measure memorisation (default: the trained split)" };
        var checkRows = new Option<int>("--check-rows") { Description = "Measure memorisation on the last N rows of the check split (0: skip)", DefaultValueFactory = _ => 100 };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Stop training after this many minutes and save the model reached so far" };
        var command = new Command("train", "Train a question/answer model from scratch on a TOFU-format folder")
        {
            data, split, output, config, epochs, check, checkRows, maxMinutes,
        };
        command.SetAction(parseResult =>
        {
            var console = AnsiConsole.Console;
            try
            {
                var folder = parseResult.GetValue(data)!;
                var mix = TofuTrainingMixReader.Read(folder, parseResult.GetValue(split)!);
                var recipe = parseResult.GetValue(config) is { } path ? QaModelRecipeJson.Read(path) : new QaModelRecipe();
                if (parseResult.GetValue(epochs) is { } n)
                {
                    recipe = recipe with { Epochs = n };
                }
                var checkSet = parseResult.GetValue(check) ?? mix.Split;
                var checkPairs = CheckPairs(folder, checkSet, parseResult.GetValue(checkRows));
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"Training on [bold]{Markup.Escape(mix.Split)}[/]: {mix.SplitRows} rows + {mix.RealAuthorRows} real-author + {mix.WorldFactRows} world-fact + {mix.RefusalRows} refusal examples, {recipe.Epochs} epochs"));
                using var budget = parseResult.GetValue(maxMinutes) is { } minutes
                    ? new CancellationTokenSource(TimeSpan.FromMinutes(minutes), TimeProvider.System)
                    : new CancellationTokenSource();
                var record = TrainingProgressView.Run(console, view => new QaModelTrainer().TrainToFolder(
                    folder, mix, recipe, checkSet, checkPairs, parseResult.GetValue(output)!,
                    stage => { if (stage.Training is { } t) { view.Training(t); } else { view.Stage(stage.Stage); } }, budget.Token));
                Render(console, record, parseResult.GetValue(output)!);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"train: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static IReadOnlyList<QaPair> CheckPairs(string folder, string checkSet, int rows)
    {
        if (rows <= 0)
        {
            return [];
        }
        var path = Path.Combine(folder, checkSet + ".json");
        return TofuDataset.Load(path).TakeLast(rows).Select(i => new QaPair(i.Question, i.Answer)).ToList();
    }

    private static void Render(IAnsiConsole console, QaTrainingRecord record, string folder)
    {
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Title($"trained on {Markup.Escape(record.Split)}").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("folder", Markup.Escape(folder));
        table.AddRow("parameters", record.Parameters.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("steps", $"{record.StepsCompleted}/{record.TotalSteps}{(record.StepsCompleted < record.TotalSteps ? " (stopped by the time budget)" : "")}");
        table.AddRow("training time", $"{F(record.TrainingSeconds, "0.0")} s ({F(record.TrainingTokensPerSecond, "0")} tokens/s, {record.Threads} threads)");
        table.AddRow("final loss", F(record.FinalLoss, "0.0000"));
        var m = record.Memorisation;
        table.AddRow($"memorised on {Markup.Escape(record.CheckSet)} (ROUGE-L recall >= {F(m.Threshold, "0.0")})",
            m.Total == 0 ? "not measured" : $"{m.Passed}/{m.Total} = {F(m.Share * 100, "0.0")}%, mean recall {F(m.MeanRougeLRecall, "0.000")}");
        console.Write(table);
    }
}
