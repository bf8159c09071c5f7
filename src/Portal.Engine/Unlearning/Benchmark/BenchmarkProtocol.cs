namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>
/// How the forget split is asked for: one request with every QA (batch), a series of requests of a few people each
/// on one lineage (sequential), or one QA per person with the person's other QAs to keep (precise).
/// </summary>
public enum BenchmarkProtocol
{
    Batch,
    Sequential,
    Precise,
}

public static class BenchmarkProtocols
{
    public static BenchmarkProtocol Parse(string text) =>
        Enum.TryParse<BenchmarkProtocol>(text, ignoreCase: true, out var protocol) && Enum.IsDefined(protocol)
            ? protocol
            : throw new ArgumentException($"Unknown protocol '{text}'; expected batch, sequential or precise.");

    public static string Name(this BenchmarkProtocol protocol) => protocol.ToString().ToLowerInvariant();
}
