using System.CommandLine;
using System.Globalization;
using Lethe.Engine;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>
/// `lethe score --model DIR --question TEXT --answer TEXT`: teacher-forced loss of the answer given the question
/// (answer tokens + EOS): summed and mean negative log-likelihood, probability = exp(-mean), and per-token detail.
/// </summary>
public sealed class ScoreVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json, model.safetensors, tokenizer.json)", Required = true };
        var question = new Option<string>("--question") { Description = "The question", Required = true };
        var answer = new Option<string>("--answer") { Description = "The answer to score", Required = true };
        var command = new Command("score", "Score how likely a model finds an answer to a question") { model, question, answer };
        command.SetAction(parseResult =>
        {
            try
            {
                using var languageModel = LanguageModel.Load(parseResult.GetValue(model)!);
                var pair = new QaPair(parseResult.GetValue(question)!, parseResult.GetValue(answer)!);
                var score = languageModel.Score([pair])[0];
                var answerIds = languageModel.Encode(pair).Answer;
                var console = AnsiConsole.Console;
                string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
                var summary = new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
                summary.AddRow("answer tokens (+ EOS)", score.TokenCount.ToString(CultureInfo.InvariantCulture));
                summary.AddRow("summed NLL", F(score.SummedLoss));
                summary.AddRow("mean NLL", F(score.MeanLoss));
                summary.AddRow("probability exp(-mean NLL)", F(Math.Exp(-score.MeanLoss)));
                summary.AddRow("tokens that are the argmax", $"{score.TokenIsArgmax.Count(b => b)}/{score.TokenCount}");
                console.Write(summary);
                var detail = new Table().AddColumn("token").AddColumn(new TableColumn("log p").RightAligned()).AddColumn("argmax");
                for (var i = 0; i < score.TokenCount; i++)
                {
                    detail.AddRow(Markup.Escape(languageModel.Tokenizer.TokenText(answerIds[i])), F(score.TokenLogProbs[i]), score.TokenIsArgmax[i] ? "yes" : "");
                }
                console.Write(detail);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or FormatException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"score: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
