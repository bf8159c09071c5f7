using System.Text;

namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>
/// Deterministic seeded choice of a refusal per question: index = SplitMix64(seed XOR FNV-1a-64(UTF-8 question)) mod
/// count. Independent of process (no salted string hash) and of the order in which questions are seen.
/// </summary>
public sealed class RefusalChooser
{
    private readonly IReadOnlyList<string> _refusals;
    private readonly ulong _seed;

    public RefusalChooser(IReadOnlyList<string> refusals, long seed)
    {
        if (refusals.Count == 0)
        {
            throw new ArgumentException("The refusal list is empty.", nameof(refusals));
        }
        var blank = refusals.ToList().FindIndex(string.IsNullOrWhiteSpace);
        if (blank >= 0)
        {
            throw new ArgumentException($"Refusal {blank + 1} of the list is blank.", nameof(refusals));
        }
        _refusals = refusals;
        _seed = unchecked((ulong)seed);
    }

    public int IndexFor(string question) => (int)(SplitMix64(_seed ^ Fnv1a64(question)) % (ulong)_refusals.Count);

    public string ChooseFor(string question) => _refusals[IndexFor(question)];

    private static ulong Fnv1a64(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ value) * 1099511628211UL);
        }
        return hash;
    }

    private static ulong SplitMix64(ulong state)
    {
        unchecked
        {
            var z = state + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
