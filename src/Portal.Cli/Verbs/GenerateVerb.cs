using System.CommandLine;
using Lethe.Engine;

namespace Lethe.Cli.Verbs;

/// <summary>`lethe generate --model DIR --prompt TEXT [--max-new-tokens N]`: the model's greedy answer to a question.</summary>
public sealed class GenerateVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model folder (config.json, model.safetensors, tokenizer.json)", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The question; it is wrapped in the model's prompt format", Required = true };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Stop after this many new tokens", DefaultValueFactory = _ => 100 };
        var showTokens = new Option<bool>("--show-tokens") { Description = "Print the generated tokens one by one, special tokens such as [UNL] included" };
        var command = new Command("generate", "Answer a question greedily with a model") { model, prompt, maxNewTokens, showTokens };
        command.SetAction(parseResult =>
        {
            var tokens = parseResult.GetValue(maxNewTokens);
            if (tokens <= 0)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("generate: --max-new-tokens must be positive.");
                return 1;
            }
            try
            {
                using var languageModel = LanguageModel.Load(parseResult.GetValue(model)!);
                var ids = languageModel.GenerateIds([parseResult.GetValue(prompt)!], tokens)[0];
                parseResult.InvocationConfiguration.Output.WriteLine(parseResult.GetValue(showTokens)
                    ? string.Join("|", ids.Select(id => languageModel.Tokenizer.Decode([id], skipSpecialTokens: false)))
                    : languageModel.DecodeAnswer(ids));
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or FormatException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"generate: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
