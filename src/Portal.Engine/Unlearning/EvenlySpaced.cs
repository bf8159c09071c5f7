namespace Lethe.Engine.Unlearning;

/// <summary>At most k items of a list of n, in order: item floor(i n / k) for i &lt; k (the whole list when n &lt;= k).</summary>
internal static class EvenlySpaced
{
    public static List<T> Take<T>(IReadOnlyList<T> items, int count)
    {
        var k = Math.Min(items.Count, count);
        return Enumerable.Range(0, k).Select(i => items[(int)((long)i * items.Count / k)]).ToList();
    }
}
