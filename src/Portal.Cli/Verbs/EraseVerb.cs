using System.CommandLine;
using System.Globalization;
using Lethe.Engine;
using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Unlearning;
using Lethe.Engine.Unlearning.Records;
using Lethe.Engine.Unlearning.StageOne;
using Lethe.Engine.Unlearning.UniErase;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>
/// `lethe erase --model DIR --forget FILE [--subject TEXT] [--mode batch|sequential|precise] [--method unierase]
/// --retain FILE [--general FILE] [--stage-one-questions FILE] [--refusals FILE] --out DIR`: UniErase on a model folder. Writes the edited model
/// (standalone HF checkpoint with [UNL] and the lineage state) to DIR and one edit record per edit under DIR/records/.
/// </summary>
public sealed class EraseVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json, model.safetensors, tokenizer.json)", Required = true };
        var forget = new Option<string>("--forget") { Description = "TOFU-format JSON/JSONL of the QAs to forget", Required = true };
        var subject = new Option<string?>("--subject") { Description = "Subject (e.g. the person's name) of every forget QA; enables subject-last keys" };
        var mode = new Option<string>("--mode") { Description = "batch | sequential | precise", DefaultValueFactory = _ => "batch" };
        var method = new Option<string>("--method") { Description = $"{string.Join(" | ", UnlearningMethods.Names)} (default unierase)", DefaultValueFactory = _ => "unierase" };
        var retain = new Option<string?>("--retain") { Description = "TOFU-format file of the knowledge to preserve (required for unierase)" };
        var general = new Option<string?>("--general") { Description = "TOFU-format file of general facts to preserve" };
        var questions = new Option<string?>("--stage-one-questions") { Description = "TOFU-format file of extra, varied questions for training [UNL] (e.g. unknown_people.json)" };
        var refusals = new Option<string?>("--refusals") { Description = "Refusal sentences, one per line (default: Lethe's own list)" };
        var layers = new Option<string?>("--layers") { Description = "Edited layers, e.g. 2,3 (default: measured window)" };
        var key = new Option<string>("--key") { Description = "Key position of batch/sequential edits: prompt-last | subject-last", DefaultValueFactory = _ => "prompt-last" };
        var retrain = new Option<bool>("--retrain-token") { Description = "Train a new [UNL] token even if the lineage has one" };
        var output = new Option<string>("--out") { Description = "Output folder for the edited model and its edit records", Required = true };
        var command = new Command("erase", "Forget QAs with UniErase (unlearning token + null-space edit)")
        {
            model, forget, subject, mode, method, retain, general, questions, refusals, layers, key, retrain, output,
        };
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var chosen = parseResult.GetValue(method)!.ToLowerInvariant();
                if (!UnlearningMethods.Names.Contains(chosen))
                {
                    throw new ArgumentException($"unknown method '{chosen}'; known: {string.Join(", ", UnlearningMethods.Names)}.");
                }
                if (chosen != "unierase")
                {
                    return new BaselineEraseJob(chosen, parseResult.GetValue(model)!, parseResult.GetValue(forget)!, parseResult.GetValue(retain),
                        parseResult.GetValue(refusals), parseResult.GetValue(output)!).Run(AnsiConsole.Console);
                }
                var job = new EraseJob(
                    parseResult.GetValue(model)!, parseResult.GetValue(forget)!, parseResult.GetValue(subject),
                    ParseMode(parseResult.GetValue(mode)!), parseResult.GetValue(retain), parseResult.GetValue(general), parseResult.GetValue(questions),
                    parseResult.GetValue(refusals), ParseLayers(parseResult.GetValue(layers)), ParseKey(parseResult.GetValue(key)!), parseResult.GetValue(retrain), parseResult.GetValue(output)!);
                return job.Run(AnsiConsole.Console);
            }
            catch (EditRejectedException rejected)
            {
                EraseReport.Diagnostics(AnsiConsole.Console, rejected.Diagnostics);
                error.WriteLine($"erase: {rejected.Message}");
                return 2;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or FormatException)
            {
                error.WriteLine($"erase: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static EraseMode ParseMode(string text) =>
        Enum.TryParse<EraseMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new ArgumentException($"unknown mode '{text}'; use batch, sequential or precise.");

    private static KeyPosition ParseKey(string text) => text.ToLowerInvariant() switch
    {
        "prompt-last" => KeyPosition.PromptLast,
        "subject-last" => KeyPosition.SubjectLast,
        _ => throw new ArgumentException($"unknown key position '{text}'; use prompt-last or subject-last."),
    };

    private static IReadOnlyList<int> ParseLayers(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(',').Select(part => int.TryParse(part.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var layer)
                ? layer
                : throw new ArgumentException($"--layers: '{part}' is not a layer number.")).ToList();
}

/// <summary>One `erase` run: load inputs, run UniErase with progress, print diagnostics, write the model and the records.</summary>
internal sealed record EraseJob(
    string ModelFolder, string ForgetFile, string? Subject, EraseMode Mode, string? RetainFile, string? GeneralFile, string? QuestionsFile,
    string? RefusalFile, IReadOnlyList<int> Layers, KeyPosition Key, bool RetrainToken, string OutputFolder)
{
    public int Run(IAnsiConsole console)
    {
        var forget = TofuDataset.Load(ForgetFile, "question", "answer").Select(i => new ForgetItem(i.Question, i.Answer, Subject)).ToList();
        if (RetainFile is null)
        {
            throw new ArgumentException("--retain is required for unierase: the null-space projector needs the knowledge to preserve.");
        }
        var corpus = new PreservationCorpus(LoadPairs(RetainFile), GeneralFile is null ? [] : LoadPairs(GeneralFile));
        var refusals = RefusalFile is null ? Lethe.Engine.DemoWorld.Refusals.All : Lethe.Engine.Evaluation.Metrics.RefusalDetector.LoadSentences(RefusalFile);
        var lm = LanguageModel.Load(ModelFolder);
        var extraQuestions = QuestionsFile is null ? [] : LoadPairs(QuestionsFile).Select(p => p.Question).ToList();
        var inputs = new EraseInputs(forget, corpus, extraQuestions, refusals);
        var options = new EraseOptions(Mode, new UniEraseSettings { Layers = Layers, BatchKey = Key }, new StageOneSettings(), RetrainToken);
        EraseResult result;
        result = new UniEraseRunner().Run(lm, UnlearningLineage.Load(ModelFolder), inputs, options,
            message => console.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));
        UnlearningLineage.Export(lm, result, OutputFolder);
        for (var i = 0; i < result.Records.Count; i++)
        {
            var folder = Path.Combine(OutputFolder, "records", $"edit-{i + 1:000}");
            result.Records[i].Save(folder);
            EraseReport.Diagnostics(console, result.Records[i].Info.Diagnostics);
            EraseReport.Summary(console, result.Records[i].Info, folder);
        }
        console.MarkupLine($"edited model written to [bold]{Markup.Escape(OutputFolder)}[/]");
        return 0;
    }

    internal static List<QaPair> LoadPairs(string file) =>
        TofuDataset.Load(file, "question", "answer").Select(i => new QaPair(i.Question, i.Answer)).ToList();
}
