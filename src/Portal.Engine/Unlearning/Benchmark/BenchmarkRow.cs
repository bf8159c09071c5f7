using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Evaluation.Runner;

namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>
/// One method's line of bench.json (see docs/bench-format.md). Forget numbers are on the QAs the protocol asked to
/// forget; FQ = KS p-value of their truth ratios against the reference model's on the same QAs; FE = 1 - mean(forget
/// ROUGE-L, forget probability); general false refusals = refusals on real_authors + world_facts.
/// </summary>
public sealed record BenchmarkRow
{
    public required string Method { get; init; }
    public double? ForgetRouge { get; init; }
    public double? ForgetParaphrasedRouge { get; init; }
    public double? ForgetProbability { get; init; }
    public double? ForgetTruthRatio { get; init; }
    public double? ForgetQuality { get; init; }
    public double? ForgetEfficacy { get; init; }
    public double? ModelUtility { get; init; }
    public double? ModelUtilityRatio { get; init; }
    public double? ForgetRefusalRate { get; init; }
    public double? RetainFalseRefusalRate { get; init; }
    public double? GeneralFalseRefusalRate { get; init; }
    public double ParamsChangedShare { get; init; }
    public long ParamsChanged { get; init; }
    public double WallSeconds { get; init; }
    public double? WallRatioToUnierase { get; init; }

    /// <summary>
    /// Wall time without the one-time stages of a lineage (<see cref="OneTimeStages"/>: UniErase's Stage I, its general
    /// probes' answers, its preservation sums and its first model's retained answers, reused by every later request, and
    /// the null space of its base corpus, built with the sums, which its first request uses -- later requests build their
    /// own): what each further request costs. Baselines: = wall time.
    /// </summary>
    public double RequestSeconds => Math.Max(0, WallSeconds - StageSeconds.Where(s => OneTimeStages.Contains(s.Key)).Sum(s => s.Value));

    /// <summary>UniErase's <see cref="RequestSeconds"/> / this method's (how many times cheaper a request is with UniErase).</summary>
    public double? RequestSpeedupOfUnierase { get; init; }

    /// <summary>Stages paid once per lineage, not per request.</summary>
    public static IReadOnlySet<string> OneTimeStages { get; } = new HashSet<string>(StringComparer.Ordinal) { "stage_one", "general_probes", "preservation_statistics", "lineage_projectors", "retained_answers" };
    public double? RetainRouge { get; init; }
    public double? PrivLeak { get; init; }
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();
    public IReadOnlyDictionary<string, object?> Details { get; init; } = new Dictionary<string, object?>();

    /// <summary>Sequential protocol: one entry per request (empty otherwise).</summary>
    public IReadOnlyList<SequentialRound> Rounds { get; init; } = [];

    /// <summary>Precise protocol: what happened to the forgotten QAs and their siblings (null otherwise).</summary>
    public PreciseOutcome? Precise { get; init; }

    /// <summary>The row of an evaluated model; <paramref name="outcome"/> is null for the model before unlearning.</summary>
    public static BenchmarkRow From(
        string method, EvaluationResult evaluation, ReferenceScores reference, UnlearningOutcome? outcome)
    {
        var forget = evaluation.Set(EvaluationSetNames.Forget);
        var general = new[] { EvaluationSetNames.RealAuthors, EvaluationSetNames.WorldFacts }
            .Select(evaluation.Set).Where(s => s is not null)
            .SelectMany(s => s!.Items).Where(i => i.Refused.HasValue).ToList();
        var forgetRatios = forget?.TruthRatios ?? [];
        return new BenchmarkRow
        {
            Method = method,
            ForgetRouge = forget?.RougeLRecall,
            ForgetParaphrasedRouge = evaluation.Set(EvaluationSetNames.ForgetParaphrased)?.RougeLRecall,
            ForgetProbability = forget?.Probability,
            ForgetTruthRatio = forget?.TruthRatio,
            ForgetQuality = forgetRatios.Count > 0 && reference.ForgetTruthRatios.Count > 0
                ? AggregateMetrics.ForgetQuality(forgetRatios, reference.ForgetTruthRatios).PValue : null,
            ForgetEfficacy = evaluation.Summary.ForgetEfficacy,
            ModelUtility = evaluation.Summary.ModelUtility,
            ForgetRefusalRate = forget?.RefusalRate,
            RetainFalseRefusalRate = evaluation.Set(EvaluationSetNames.Retain)?.RefusalRate,
            GeneralFalseRefusalRate = general.Count == 0 ? null : general.Average(i => i.Refused!.Value ? 1.0 : 0.0),
            ParamsChangedShare = outcome?.ParametersChangedShare ?? 0,
            ParamsChanged = outcome?.ParametersChanged ?? 0,
            WallSeconds = outcome?.TotalSeconds ?? 0,
            RetainRouge = evaluation.Set(EvaluationSetNames.Retain)?.RougeLRecall,
            PrivLeak = evaluation.Summary.MinKAuc is { } auc && reference.MinKAuc is { } referenceAuc
                ? MembershipInference.PrivLeak(auc, referenceAuc) : null,
            StageSeconds = outcome?.StageSeconds ?? new Dictionary<string, double>(),
            Details = outcome?.Details ?? new Dictionary<string, object?>(),
        };
    }

    /// <summary>Fills the ratios that need other rows: utility over the model before unlearning, wall and request time against UniErase's.</summary>
    public BenchmarkRow WithRatios(double? utilityBefore, BenchmarkRow? unierase) => this with
    {
        RequestSpeedupOfUnierase = unierase is { RequestSeconds: > 0 } u && Method != BenchmarkReport.NoneMethod && RequestSeconds > 0
            ? RequestSeconds / u.RequestSeconds : null,
        ModelUtilityRatio = ModelUtility is { } mu && utilityBefore is > 0 ? mu / utilityBefore.Value : null,
        WallRatioToUnierase = unierase is { WallSeconds: > 0 } && Method != BenchmarkReport.NoneMethod ? WallSeconds / unierase.WallSeconds : null,
    };
}

/// <summary>One request of the sequential protocol, measured right after it ran.</summary>
public sealed record SequentialRound(
    int Round,
    IReadOnlyList<string> People,
    int ForgetQas,
    double WallSeconds,
    double? ModelUtility,
    double? ModelUtilityRatio,
    double RequestRouge,
    double? EarlierRequestsMaxRouge,
    bool EarlierRequestsForgotten);

/// <summary>The precise protocol's own numbers: the forgotten QAs and the same people's other QAs.</summary>
public sealed record PreciseOutcome(
    int TargetQas,
    double TargetRouge,
    double TargetRefusalRate,
    int SiblingQas,
    double SiblingRouge,
    double SiblingsKeptShare);
