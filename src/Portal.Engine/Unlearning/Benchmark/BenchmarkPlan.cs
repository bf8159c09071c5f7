namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>One request of a protocol: its forget rows, the people they belong to, and (precise) the rows to keep.</summary>
public sealed record PlannedRequest(string Id, IReadOnlyList<string> People, IReadOnlyList<int> ForgetIndices, IReadOnlyList<int> SiblingIndices);

/// <summary>
/// Which forget-split rows a protocol asks to forget, as requests:
/// batch = one request with the first N rows; sequential = whole people in order, <c>peoplePerRequest</c> per request
/// (N bounds the QAs, at least one person); precise = one request per person (N bounds the people) forgetting the
/// person's first QA and keeping the others.
/// </summary>
public sealed record BenchmarkPlan(BenchmarkProtocol Protocol, IReadOnlyList<PlannedRequest> Requests)
{
    /// <summary>Every forgotten row, in request order (what the evaluation's forget set holds).</summary>
    public IReadOnlyList<int> ForgetIndices => Requests.SelectMany(r => r.ForgetIndices).ToList();

    public static BenchmarkPlan For(BenchmarkProtocol protocol, BenchmarkData data, int? maxItems, int peoplePerRequest) => protocol switch
    {
        BenchmarkProtocol.Batch => Batch(data, Math.Min(maxItems ?? int.MaxValue, data.Forget.Count)),
        BenchmarkProtocol.Sequential => new(protocol, Sequential(data.People, maxItems, peoplePerRequest)),
        BenchmarkProtocol.Precise => new(protocol, data.People.Take(maxItems ?? int.MaxValue)
            .Select((person, i) => new PlannedRequest($"precise-{i + 1}", NamesOf([person]), [person.ForgetIndices[0]], person.ForgetIndices.Skip(1).ToList()))
            .ToList()),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    private static BenchmarkPlan Batch(BenchmarkData data, int count) => new(BenchmarkProtocol.Batch,
        [new PlannedRequest("batch", NamesOf(data.People.Where(p => p.ForgetIndices[0] < count)), Enumerable.Range(0, count).ToList(), [])]);

    private static List<PlannedRequest> Sequential(IReadOnlyList<BenchmarkPerson> people, int? maxItems, int peoplePerRequest)
    {
        var chosen = new List<BenchmarkPerson>();
        foreach (var person in people)
        {
            if (chosen.Count > 0 && chosen.Sum(p => p.ForgetIndices.Count) + person.ForgetIndices.Count > (maxItems ?? int.MaxValue))
            {
                break;
            }
            chosen.Add(person);
        }
        return chosen.Chunk(peoplePerRequest)
            .Select((group, i) => new PlannedRequest($"round-{i + 1}", NamesOf(group), group.SelectMany(p => p.ForgetIndices).ToList(), []))
            .ToList();
    }

    private static List<string> NamesOf(IEnumerable<BenchmarkPerson> people) =>
        people.Select((p, i) => p.Name ?? $"author {p.ForgetIndices[0] / BenchmarkData.TofuQasPerAuthor + 1}").ToList();
}
