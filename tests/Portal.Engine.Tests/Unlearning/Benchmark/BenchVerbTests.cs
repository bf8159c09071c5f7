using System.Text.Json.Nodes;
using Lethe.Engine.Tests.Cli;
using Lethe.Engine.Tests.Modeling;
using Lethe.Engine.Tests.Support;
using Lethe.Engine.Unlearning;
using Lethe.Engine.Unlearning.Diagnostics;
using Lethe.Engine.Unlearning.UniErase;

namespace Lethe.Engine.Tests.Unlearning.Benchmark;

/// <summary>`bench` end to end on the small demo model: tiny runs (one method + none, a few items) and the bench.json shape.</summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class BenchVerbTests(SmallDemoModelFixture fixture) : IDisposable
{
    /// <summary>Output folders live until the test ends (the assertions read bench.json after the run).</summary>
    private readonly List<TempFolder> _folders = [];

    public static readonly string[] RequiredMethodKeys =
    [
        "method", "forget_rouge", "forget_paraphrased_rouge", "forget_probability", "forget_truth_ratio", "forget_quality",
        "forget_efficacy", "model_utility", "model_utility_ratio", "forget_refusal_rate", "retain_false_refusal_rate",
        "general_false_refusal_rate", "params_changed_share", "wall_seconds", "wall_ratio_to_unierase", "request_seconds",
    ];

    private (int ExitCode, string Output, string Error, string Folder) Bench(params string[] extra) => BenchSplit("forget10", extra);

    private (int ExitCode, string Output, string Error, string Folder) BenchSplit(string split, params string[] extra)
    {
        var temp = new TempFolder();
        _folders.Add(temp);
        var folder = temp.Path;
        var hyperparameters = Path.Combine(folder, "hyperparameters.json");
        File.WriteAllText(hyperparameters, """{"gradascent": {"epochs": 1, "lr": 1e-3}, "idknll": {"epochs": 1, "lr": 1e-3}}""");
        // Short generations and few utility items keep the runs fast (a damaged model may never stop on its own).
        var spec = Path.Combine(folder, "spec.json");
        File.WriteAllText(spec, """{"preset": "demo", "name": "bench-test", "max_new_tokens": 24, "max_items_by_set": {"retain": 5, "real_authors": 5, "world_facts": 5, "holdout": 5}}""");
        string[] args =
        [
            "bench", "--model", fixture.Folder, "--reference-model", fixture.Folder, "--data", fixture.WorldFolder,
            "--split", split, "--hyperparameters", hyperparameters, "--spec", spec, "--out", folder, .. extra,
        ];
        var (exitCode, output, error) = CliRunner.Run(args);
        return (exitCode, output, error, folder);
    }

    public void Dispose() => _folders.ForEach(f => f.Dispose());

    private static JsonObject ReadJson(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "bench.json")))!.AsObject();

    [Fact]
    public void BatchRunWritesEveryDocumentedKeyForNoneAndTheMethod()
    {
        var (exitCode, output, error, folder) = Bench("--methods", "gradascent", "--max-items", "3");

        Assert.True(exitCode == 0, error);
        var json = ReadJson(folder);
        Assert.Equal(fixture.Folder, json["model"]!.GetValue<string>());
        Assert.Equal(fixture.WorldFolder, json["data"]!.GetValue<string>());
        Assert.Equal("forget10", json["split"]!.GetValue<string>());
        Assert.Equal("batch", json["protocol"]!.GetValue<string>());
        Assert.Equal(3, json["forget_qas"]!.GetValue<int>());
        Assert.Equal("bench-test", json["evaluation_spec"]!.GetValue<string>());
        var machine = json["machine"]!.AsObject();
        Assert.True(machine["threads"]!.GetValue<int>() >= 1);
        Assert.Equal(Environment.ProcessorCount, machine["processors"]!.GetValue<int>());
        Assert.False(machine["ready_to_run"]!.GetValue<bool>()); // the tests run a plain build
        Assert.Contains(".NET", machine["runtime"]!.GetValue<string>());
        var methods = json["methods"]!.AsArray().Select(m => m!.AsObject()).ToList();
        Assert.Equal(["none", "gradascent"], methods.Select(m => m["method"]!.GetValue<string>()));
        foreach (var method in methods)
        {
            Assert.All(RequiredMethodKeys, key => Assert.True(method.ContainsKey(key), $"{method["method"]}: {key} missing"));
        }
        var none = methods[0];
        Assert.Equal(1.0, none["model_utility_ratio"]!.GetValue<double>(), 9);
        Assert.Equal(0.0, none["params_changed_share"]!.GetValue<double>());
        // The reference is the model itself here, so its truth ratios are the same: KS p-value 1.
        Assert.Equal(1.0, none["forget_quality"]!.GetValue<double>(), 9);
        Assert.Equal(1.0, methods[1]["params_changed_share"]!.GetValue<double>(), 9);
        Assert.True(methods[1]["wall_seconds"]!.GetValue<double>() > 0);
        Assert.Null(methods[1]["wall_ratio_to_unierase"]);
        Assert.Contains("| gradascent |", File.ReadAllText(Path.Combine(folder, "bench.md")));
        Assert.Contains("- machine: ", File.ReadAllText(Path.Combine(folder, "bench.md")));
        Assert.Contains("| gradascent |", output);
    }

    [Fact]
    public void SequentialRunReportsEveryRoundOnOneLineage()
    {
        var (exitCode, _, error, folder) = Bench("--methods", "gradascent", "--protocol", "sequential", "--people-per-request", "1", "--max-items", "20");

        Assert.True(exitCode == 0, error);
        var json = ReadJson(folder);
        Assert.Equal("sequential", json["protocol"]!.GetValue<string>());
        var rounds = json["methods"]![1]!["rounds"]!.AsArray();
        Assert.Equal(2, rounds.Count);
        Assert.Null(rounds[0]!["earlier_requests_max_rouge"]);
        Assert.NotNull(rounds[1]!["earlier_requests_max_rouge"]);
        Assert.All(rounds, r => Assert.True(r!["model_utility"] is not null && r["request_rouge"] is not null));
    }

    [Fact]
    public void A_sequence_whose_later_request_the_gate_rejects_keeps_the_rounds_before_it()
    {
        UnlearningMethods.Register("rejectssecond", (_, _) => new RejectsSecondRequest());

        var (exitCode, output, error, folder) = Bench("--methods", "rejectssecond", "--protocol", "sequential", "--people-per-request", "1", "--max-items", "20");

        Assert.True(exitCode == 0, error);
        var row = ReadJson(folder)["methods"]![1]!.AsObject();
        Assert.Single(row["rounds"]!.AsArray());
        Assert.NotNull(row["model_utility"]);
        var stopped = row["details"]!["stopped"]!.GetValue<string>();
        Assert.Contains("request 2 of 2", stopped);
        Assert.Contains("a test gate said no", stopped);
        Assert.Contains("stopped the sequence early", File.ReadAllText(Path.Combine(folder, "bench.md")));
    }

    /// <summary>Leaves the model as it is on the first request and is rejected by a gate on the next.</summary>
    private sealed class RejectsSecondRequest : IUnlearningMethod
    {
        private int _requests;

        public string Name => "rejectssecond";

        public UnlearningOutcome Run(LanguageModel model, UnlearningRequest request, IProgress<UnlearningProgress>? progress, CancellationToken cancellationToken) =>
            ++_requests == 1
                ? new UnlearningOutcome(Name, model, new Dictionary<string, double> { ["edit"] = 0.1 }, 0, 1, new Dictionary<string, object?>())
                : throw new EditRejectedException(new EditDiagnostics([], [], [], null, new GateDecision(false, ["a test gate said no"], "none")));
    }

    [Fact]
    public void PreciseRunMeasuresTheSiblings()
    {
        var (exitCode, _, error, folder) = Bench("--methods", "idknll", "--protocol", "precise", "--max-items", "1");

        Assert.True(exitCode == 0, error);
        var json = ReadJson(folder);
        Assert.Equal(1, json["forget_qas"]!.GetValue<int>());
        var precise = json["methods"]![1]!["precise"]!.AsObject();
        Assert.Equal(1, precise["target_qas"]!.GetValue<int>());
        Assert.Equal(fixture.World.People[^2].Facts.Count - 1, precise["sibling_qas"]!.GetValue<int>());
        Assert.InRange(precise["siblings_kept_share"]!.GetValue<double>(), 0, 1);
    }

    [Fact]
    public void BadArgumentsFailWithAClearMessage()
    {
        var (exitCode, _, error, _) = Bench("--methods", "forgetall");
        Assert.Equal(1, exitCode);
        Assert.Contains("valid methods", error);

        (exitCode, _, error, _) = BenchSplit("forget33", "--methods", "npo");
        Assert.Equal(1, exitCode);
        Assert.Contains("forget33", error);

        (exitCode, _, error, _) = Bench("--protocol", "eventually");
        Assert.Equal(1, exitCode);
        Assert.Contains("batch, sequential or precise", error);
    }
}
