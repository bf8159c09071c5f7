namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>
/// Sequential protocol: the planned requests run one after another on one lineage. After each request: model utility
/// (the utility sets of the shared spec), ROUGE-L on this request's QAs, and the largest mean ROUGE-L of any earlier
/// request (forgotten = at most <see cref="ForgottenRougeBar"/>). The final model gets the full evaluation; wall time
/// is the sum over requests and the parameter share the largest of any request.
/// </summary>
public static class SequentialBenchmark
{
    public const double ForgottenRougeBar = 0.2;

    public static BenchmarkRow Run(BenchmarkRun run, IUnlearningMethod method)
    {
        using var lineage = run.LoadLineage();
        var rounds = new List<SequentialRound>();
        var outcomes = new List<UnlearningOutcome>();
        double? utilityBefore = null;
        foreach (var (planned, index) in run.Plan.Requests.Select((r, i) => (r, i)))
        {
            if (index == 0)
            {
                utilityBefore = run.Evaluate(lineage.Model, method.Name, run.UtilitySpec).Summary.ModelUtility;
            }
            var outcome = lineage.Apply(method, run.Request(planned, UnlearningMode.Sequential), run);
            outcomes.Add(outcome);
            var utility = run.Evaluate(lineage.Model, method.Name, run.UtilitySpec).Summary.ModelUtility;
            var earlier = run.Plan.Requests.Take(index).Select(r => run.Rouge(lineage.Model, r.ForgetIndices).Average()).ToList();
            rounds.Add(new SequentialRound(
                index + 1, planned.People, planned.ForgetIndices.Count, outcome.TotalSeconds, utility,
                utility is { } mu && utilityBefore is > 0 ? mu / utilityBefore.Value : null,
                run.Rouge(lineage.Model, planned.ForgetIndices).Average(),
                earlier.Count == 0 ? null : earlier.Max(),
                earlier.All(r => r <= ForgottenRougeBar)));
        }
        var final = run.Evaluate(lineage.Model, method.Name, run.Spec);
        var combined = BenchmarkLineage.Combine(outcomes);
        return BenchmarkRow.From(method.Name, final, run.Reference, combined) with { Rounds = rounds };
    }
}
