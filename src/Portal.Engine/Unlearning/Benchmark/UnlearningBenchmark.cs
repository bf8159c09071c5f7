using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Evaluation.Runner;
using Lethe.Engine.Evaluation.Text;

namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>
/// Runs `bench`: evaluates the reference model once (its forget truth ratios are what forget quality compares with) and
/// the model before unlearning ("none"); then, for each method, loads a fresh copy of the model, runs the protocol's
/// requests (retain = the retain split), evaluates the result with the same <see cref="EvaluationSpec"/>, and collects
/// one <see cref="BenchmarkRow"/> per method.
/// </summary>
public sealed class UnlearningBenchmark(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public BenchmarkReport Run(BenchmarkOptions options, IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        TorchRuntime.Initialise();
        var spec = options.ResolveEvaluation();
        var data = BenchmarkData.Load(options.DataDirectory, options.Split, spec);
        var plan = BenchmarkPlan.For(options.Protocol, data, options.MaxItems, options.PeoplePerRequest);
        var evaluationFolder = data.WriteSubset(plan.ForgetIndices, Path.Combine(options.WorkDirectory, "data"));
        var run = new BenchmarkRun(options, spec, data, plan, evaluationFolder, new EvaluationRunner(_time), progress, cancellationToken);

        run.Reference = run.EvaluateReference();
        var rows = new List<BenchmarkRow> { run.EvaluateBefore() };
        foreach (var name in UnlearningMethods.ParseList(string.Join(",", options.Methods)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var method = UnlearningMethods.Create(name, options.Hyperparameters.GetValueOrDefault(name), _time);
            try
            {
                rows.Add(options.Protocol switch
                {
                    BenchmarkProtocol.Sequential => SequentialBenchmark.Run(run, method),
                    BenchmarkProtocol.Precise => PreciseBenchmark.Run(run, method),
                    _ => BatchBenchmark(run, method),
                });
            }
            catch (UniErase.EditRejectedException rejected)
            {
                // A gate that refuses an edit is a result, not a crash: the row says why and the other methods still run.
                run.Report(method.Name, "rejected");
                rows.Add(new BenchmarkRow { Method = method.Name, Details = new Dictionary<string, object?> { ["error"] = rejected.Message } });
            }
        }
        var before = rows[0].ModelUtility;
        var unierase = rows.FirstOrDefault(r => r.Method == "unierase");
        return new BenchmarkReport(options.ModelDirectory, options.ReferenceModelDirectory, options.DataDirectory, options.Split,
            options.Protocol, plan.ForgetIndices.Count, spec.Name, rows.Select(r => r.WithRatios(before, unierase)).ToList())
        {
            Machine = BenchmarkMachine.Current(),
        };
    }

    /// <summary>Batch protocol: one request with every planned QA.</summary>
    private static BenchmarkRow BatchBenchmark(BenchmarkRun run, IUnlearningMethod method)
    {
        using var lineage = run.LoadLineage();
        var request = run.Request(run.Plan.Requests[0], UnlearningMode.Batch);
        var outcome = lineage.Apply(method, request, run);
        return BenchmarkRow.From(method.Name, run.Evaluate(lineage.Model, method.Name, run.Spec), run.Reference, outcome);
    }
}

/// <summary>Everything one benchmark run shares between its methods, and the evaluation helpers they use.</summary>
public sealed class BenchmarkRun(
    BenchmarkOptions options, EvaluationSpec spec, BenchmarkData data, BenchmarkPlan plan, string evaluationFolder,
    EvaluationRunner evaluator, IProgress<BenchmarkProgress>? progress, CancellationToken cancellationToken)
{
    private readonly RougeScorer _rouge = new();

    public BenchmarkOptions Options { get; } = options;
    public EvaluationSpec Spec { get; } = spec;
    public BenchmarkData Data { get; } = data;
    public BenchmarkPlan Plan { get; } = plan;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public ReferenceScores Reference { get; set; } = new([]);

    /// <summary>The spec restricted to the sets model utility is made of (for per-round checks).</summary>
    public EvaluationSpec UtilitySpec => Spec with { Sets = EvaluationSetNames.UtilitySets };

    /// <summary>The reference model's per-item forget truth ratios R on the planned QAs (and its Min-K% AUC when the spec has a holdout set).</summary>
    public ReferenceScores EvaluateReference()
    {
        using var reference = LanguageModel.Load(Options.ReferenceModelDirectory);
        var sets = Spec.Sets.Where(s => s is EvaluationSetNames.Forget or EvaluationSetNames.Holdout).ToList();
        var result = Evaluate(reference, "reference", Spec with { Sets = sets.Contains(EvaluationSetNames.Forget) ? sets : [EvaluationSetNames.Forget, .. sets] });
        return new ReferenceScores(result.Set(EvaluationSetNames.Forget)!.TruthRatios, result.Summary.MinKAuc);
    }

    /// <summary>The row of the model before unlearning.</summary>
    public BenchmarkRow EvaluateBefore()
    {
        using var model = LanguageModel.Load(Options.ModelDirectory);
        return BenchmarkRow.From(BenchmarkReport.NoneMethod, Evaluate(model, BenchmarkReport.NoneMethod, Spec), Reference, null);
    }

    public EvaluationResult Evaluate(LanguageModel model, string method, EvaluationSpec spec)
    {
        Report(method, "evaluating");
        var reports = progress is null ? null : new ForwardingProgress<EvaluationProgress>(e => progress.Report(new BenchmarkProgress(method, "evaluating", Evaluation: e)));
        return evaluator.Run(model, evaluationFolder, spec, reports, CancellationToken);
    }

    /// <summary>A fresh copy of the model to unlearn.</summary>
    public BenchmarkLineage LoadLineage() => new(LanguageModel.Load(Options.ModelDirectory));

    public UnlearningRequest Request(PlannedRequest planned, UnlearningMode mode)
    {
        var siblings = planned.SiblingIndices.Select(Data.Pair);
        return new UnlearningRequest(
            planned.Id,
            planned.ForgetIndices.Select(Data.Pair).ToList(),
            siblings.Concat(Data.Retain).ToList(),
            Data.Refusals,
            mode,
            Subject: planned.People.Count == 1 && mode == UnlearningMode.Precise ? planned.People[0] : null,
            Seed: Options.Seed);
    }

    /// <summary>ROUGE-L recall of the model's greedy answer to each QA (the evaluation's generation settings).</summary>
    public IReadOnlyList<double> Rouge(LanguageModel model, IReadOnlyList<int> forgetIndices)
    {
        var pairs = forgetIndices.Select(Data.Pair).ToList();
        var answers = model.Generate(pairs.Select(p => p.Question).ToList(), Spec.MaxNewTokens, Spec.BatchSize);
        return pairs.Zip(answers, (pair, answer) => _rouge.RougeLRecall(pair.Answer, answer)).ToList();
    }

    public void Report(string method, string stage, UnlearningProgress? unlearning = null) =>
        progress?.Report(new BenchmarkProgress(method, stage, unlearning));
}

/// <summary>
/// One model lineage: a loaded model that successive requests modify. A method may hand back another model (one grown
/// by a token, say); the lineage then continues from that one and disposes the one it replaced.
/// </summary>
public sealed class BenchmarkLineage(LanguageModel model) : IDisposable
{
    public LanguageModel Model { get; private set; } = model;

    public UnlearningOutcome Apply(IUnlearningMethod method, UnlearningRequest request, BenchmarkRun run)
    {
        run.Report(method.Name, $"unlearning {request.RequestId}");
        var reports = new ForwardingProgress<UnlearningProgress>(p => run.Report(method.Name, $"unlearning {request.RequestId}", p));
        SettleGarbage();
        var outcome = method.Run(Model, request, reports, run.CancellationToken);
        if (!ReferenceEquals(outcome.Model, Model))
        {
            Model.Dispose();
            Model = outcome.Model;
        }
        return outcome;
    }

    /// <summary>The outcome of a series of requests: stage times summed, the largest share of parameters changed.</summary>
    public static UnlearningOutcome Combine(IReadOnlyList<UnlearningOutcome> outcomes) =>
        outcomes.MaxBy(o => o.ParametersChangedShare)! with
        {
            StageSeconds = outcomes.SelectMany(o => o.StageSeconds).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value)),
        };

    public void Dispose() => Model.Dispose();

    /// <summary>
    /// Collects what earlier work left (tensors no one disposed are freed by finalizers) before a method's clock starts,
    /// so no method pays for the one before it on the finalizer thread.
    /// </summary>
    private static void SettleGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
