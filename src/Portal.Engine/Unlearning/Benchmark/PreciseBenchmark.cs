namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>
/// Precise protocol: per person one request (mode precise, subject = the person) forgetting the person's first QA,
/// with the person's other QAs ("siblings") first in the retain list; all requests on one lineage. Reports the
/// forgotten QAs' ROUGE-L and refusal rate and the share of siblings whose ROUGE-L recall stays at or above
/// <see cref="SiblingKeptBar"/>.
/// </summary>
public static class PreciseBenchmark
{
    public const double SiblingKeptBar = 0.8;

    public static BenchmarkRow Run(BenchmarkRun run, IUnlearningMethod method)
    {
        using var lineage = run.LoadLineage();
        var outcomes = run.Plan.Requests.Select(planned => lineage.Apply(method, run.Request(planned, UnlearningMode.Precise), run)).ToList();
        var evaluation = run.Evaluate(lineage.Model, method.Name, run.Spec);
        var siblings = run.Rouge(lineage.Model, run.Plan.Requests.SelectMany(r => r.SiblingIndices).ToList());
        var forget = evaluation.Set(Evaluation.Data.EvaluationSetNames.Forget);
        var combined = BenchmarkLineage.Combine(outcomes);
        var precise = new PreciseOutcome(
            run.Plan.ForgetIndices.Count,
            forget?.RougeLRecall ?? 0,
            forget?.RefusalRate ?? 0,
            siblings.Count,
            siblings.Count == 0 ? 0 : siblings.Average(),
            siblings.Count == 0 ? 0 : siblings.Count(r => r >= SiblingKeptBar) / (double)siblings.Count);
        return BenchmarkRow.From(method.Name, evaluation, run.Reference, combined) with { Precise = precise };
    }
}
