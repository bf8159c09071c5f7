using Lethe.Engine;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Unlearning;
using Spectre.Console;

namespace Lethe.Cli.Verbs;

/// <summary>One `erase --method &lt;baseline&gt;` run: fine-tuning unlearning on the model, the result saved as a model folder.</summary>
internal sealed record BaselineEraseJob(string Method, string ModelFolder, string ForgetFile, string? RetainFile, string? RefusalFile, string OutputFolder)
{
    public int Run(IAnsiConsole console)
    {
        var forget = EraseJob.LoadPairs(ForgetFile);
        var retain = RetainFile is null ? [] : EraseJob.LoadPairs(RetainFile);
        if (retain.Count == 0 && Method != "gradascent")
        {
            throw new ArgumentException($"--retain is required for {Method}: it trains on the knowledge to keep.");
        }
        var refusals = RefusalFile is null ? Lethe.Engine.DemoWorld.Refusals.All : RefusalDetector.LoadSentences(RefusalFile);
        using var model = LanguageModel.Load(ModelFolder);
        var request = new UnlearningRequest("cli", forget, retain, refusals);
        var progress = new Progress<UnlearningProgress>(p =>
            console.MarkupLine($"[grey]{Markup.Escape($"{p.Stage} {p.Step}/{p.TotalSteps}{(p.Loss is { } loss ? $" loss {loss:F4}" : "")}")}[/]"));
        var outcome = UnlearningMethods.Create(Method).Run(model, request, progress, CancellationToken.None);
        outcome.Model.Save(OutputFolder);
        var table = new Table().AddColumns("method", "forget QAs", "retain QAs", "seconds", "parameters changed");
        table.AddRow(Method, forget.Count.ToString(), retain.Count.ToString(), $"{outcome.TotalSeconds:F1}",
            $"{outcome.ParametersChanged:N0} ({outcome.ParametersChangedShare:P2})");
        console.Write(table);
        console.MarkupLine($"unlearned model written to [bold]{Markup.Escape(OutputFolder)}[/]");
        return 0;
    }
}
