using System.CommandLine;
using System.Globalization;
using Lethe.Engine.Evaluation.Runner;
using Lethe.Engine.Unlearning;
using Lethe.Engine.Unlearning.Benchmark;

namespace Lethe.Cli.Verbs;

/// <summary>
/// `lethe bench --model DIR --reference-model DIR --data DIR --split forget10 [--methods LIST] [--protocol P]
/// [--max-items N] [--people-per-request N] [--hyperparameters FILE] [--spec FILE] [--seed N] --out DIR`:
/// runs each unlearning method on a fresh copy of the model and writes bench.json + bench.md (docs/bench-format.md).
/// </summary>
public sealed class BenchVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model folder to unlearn from", Required = true };
        var reference = new Option<string>("--reference-model") { Description = "Model trained without the forget split (forget quality)", Required = true };
        var data = new Option<string>("--data") { Description = "TOFU-layout data folder (TOFU or a demo world)", Required = true };
        var split = new Option<string>("--split") { Description = "forget01, forget05 or forget10", Required = true };
        var methods = new Option<string>("--methods")
        {
            Description = $"Comma-separated methods ({string.Join(", ", UnlearningMethods.Names)}; 'all')",
            DefaultValueFactory = _ => string.Join(",", UnlearningMethods.BaselineNames),
        };
        var protocol = new Option<string>("--protocol") { Description = "batch, sequential or precise", DefaultValueFactory = _ => "batch" };
        var maxItems = new Option<int?>("--max-items") { Description = "At most N forget QAs (people for precise) and N items per evaluation set" };
        var peoplePerRequest = new Option<int>("--people-per-request") { Description = "Sequential protocol: people per request", DefaultValueFactory = _ => 2 };
        var hyperparameters = new Option<string?>("--hyperparameters") { Description = "JSON file: {\"npo\": {\"lr\": 1e-4}, ...}" };
        var spec = new Option<string?>("--spec") { Description = "Evaluation spec JSON (default: demo preset for a demo world, else tofu)" };
        var seed = new Option<long>("--seed") { Description = "Seed of batch order and refusal choice", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Folder for bench.json and bench.md", Required = true };
        var command = new Command("bench", "Benchmark unlearning methods on one forget split and write bench.json / bench.md")
        {
            model, reference, data, split, methods, protocol, maxItems, peoplePerRequest, hyperparameters, spec, seed, output,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var console = parseResult.InvocationConfiguration.Output;
            try
            {
                var outDirectory = parseResult.GetValue(output)!;
                var options = new BenchmarkOptions
                {
                    ModelDirectory = parseResult.GetValue(model)!,
                    ReferenceModelDirectory = parseResult.GetValue(reference)!,
                    DataDirectory = parseResult.GetValue(data)!,
                    Split = parseResult.GetValue(split)!,
                    Methods = UnlearningMethods.ParseList(parseResult.GetValue(methods)!),
                    Protocol = BenchmarkProtocols.Parse(parseResult.GetValue(protocol)!),
                    MaxItems = parseResult.GetValue(maxItems),
                    PeoplePerRequest = parseResult.GetValue(peoplePerRequest),
                    Hyperparameters = parseResult.GetValue(hyperparameters) is { } file
                        ? UnlearningMethods.ReadHyperparameters(file)
                        : new Dictionary<string, IReadOnlyDictionary<string, string>>(),
                    Evaluation = parseResult.GetValue(spec) is { } specFile ? EvaluationSpecJson.Load(specFile) : null,
                    Seed = parseResult.GetValue(seed),
                    WorkDirectory = Path.Combine(outDirectory, "work"),
                };
                var progress = new StageLog(error, TimeProvider.System);
                var report = new UnlearningBenchmark(TimeProvider.System).Run(options, progress, cancellationToken);
                var (json, markdown) = report.Write(outDirectory);
                console.Write(File.ReadAllText(markdown));
                console.WriteLine($"wrote {json} and {markdown}");
                return Task.FromResult(0);
            }
            catch (OperationCanceledException)
            {
                error.WriteLine("bench: cancelled.");
                return Task.FromResult(130);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException or UnauthorizedAccessException
                or Lethe.Engine.Unlearning.UniErase.EditRejectedException)
            {
                error.WriteLine($"bench: {e.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }

    /// <summary>Writes one line per stage change and per tenth unlearning step to stderr, after the seconds since the bench began.</summary>
    private sealed class StageLog(TextWriter writer, TimeProvider time) : IProgress<BenchmarkProgress>
    {
        private readonly long _start = time.GetTimestamp();
        private string _last = "";

        public void Report(BenchmarkProgress value)
        {
            if (value.Unlearning is { TotalSteps: > 0 } step && step.Step % 10 != 0 && step.Step != step.TotalSteps)
            {
                return;
            }
            var line = value.Unlearning is { TotalSteps: 0 } message
                ? $"[{value.Method}] {message.Stage}" // a method's narration (UniErase: rounds, targets, rejections)
                : value.Unlearning is { } u
                ? string.Create(CultureInfo.InvariantCulture, $"[{value.Method}] {value.Stage}: step {u.Step}/{u.TotalSteps} loss {u.Loss:0.0000}")
                : $"[{value.Method}] {value.Stage}";
            if (line != _last)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{time.GetElapsedTime(_start).TotalSeconds,8:0.000} s {line}"));
                _last = line;
            }
        }
    }
}
