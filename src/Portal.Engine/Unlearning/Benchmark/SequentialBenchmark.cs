namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>
/// Sequential protocol: the planned requests run one after another on one lineage. After each request: model utility
/// (the utility sets of the shared spec), ROUGE-L on this request's QAs, and the largest mean ROUGE-L of any earlier
/// request (forgotten = at most <see cref="ForgottenRougeBar"/>). The final model gets the full evaluation; wall time
/// is the sum over requests and the parameter share the largest of any request. When UniErase's gate rejects a later
/// request, the sequence stops there: the rounds done so far are kept, the final evaluation is of the model after the
/// last accepted request (its forget set still holds the QAs never edited), and <c>details.stopped</c> says why.
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
        string? stopped = null;
        foreach (var (planned, index) in run.Plan.Requests.Select((r, i) => (r, i)))
        {
            if (index == 0)
            {
                utilityBefore = run.Evaluate(lineage.Model, method.Name, run.UtilitySpec).Summary.ModelUtility;
            }
            UnlearningOutcome outcome;
            try
            {
                outcome = lineage.Apply(method, run.Request(planned, UnlearningMode.Sequential), run);
            }
            catch (UniErase.EditRejectedException rejected) when (index > 0)
            {
                stopped = $"request {index + 1} of {run.Plan.Requests.Count} ({string.Join("; ", planned.People)}) was rejected: {rejected.Message}";
                run.Report(method.Name, "rejected; the sequence stops");
                break;
            }
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
        var row = BenchmarkRow.From(method.Name, final, run.Reference, combined) with { Rounds = rounds };
        return stopped is null ? row : row with { Details = new Dictionary<string, object?>(row.Details) { ["stopped"] = stopped } };
    }
}
