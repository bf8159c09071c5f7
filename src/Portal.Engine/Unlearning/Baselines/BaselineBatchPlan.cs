namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>The forget and retain item indices of one optimisation step (retain empty when the method ignores it).</summary>
public sealed record BaselineStepIndices(int Epoch, int[] Forget, int[] Retain);

/// <summary>
/// Which items each step sees, as open-unlearning's ForgetRetain dataset pairs them: an epoch walks a seeded shuffle
/// of the forget set in batches of B (steps per epoch = ceil(F / B)); every forget batch is interleaved with a retain
/// batch of the same size taken from a seeded, endlessly re-shuffled walk over the retain set.
/// </summary>
public sealed class BaselineBatchPlan
{
    private readonly int _forgetCount;
    private readonly int _retainCount;
    private readonly int _batchSize;
    private readonly long _seed;

    public BaselineBatchPlan(int forgetCount, int retainCount, int batchSize, int epochs, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(forgetCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(retainCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        (_forgetCount, _retainCount, _batchSize, _seed) = (forgetCount, retainCount, batchSize, seed);
        StepsPerEpoch = (forgetCount + batchSize - 1) / batchSize;
        TotalSteps = StepsPerEpoch * epochs;
    }

    public int StepsPerEpoch { get; }
    public int TotalSteps { get; }

    /// <summary>Every step in order; the same seed gives the same sequence in every process.</summary>
    public IEnumerable<BaselineStepIndices> Steps()
    {
        var retainWalk = RetainWalk().GetEnumerator();
        for (var step = 0; step < TotalSteps; step++)
        {
            var epoch = step / StepsPerEpoch;
            var forget = SeededOrder(_forgetCount, _seed, epoch)
                .Skip(step % StepsPerEpoch * _batchSize).Take(_batchSize).ToArray();
            var retain = new int[_retainCount == 0 ? 0 : forget.Length];
            for (var i = 0; i < retain.Length && retainWalk.MoveNext(); i++)
            {
                retain[i] = retainWalk.Current;
            }
            yield return new BaselineStepIndices(epoch, forget, retain);
        }
    }

    /// <summary>A Fisher-Yates shuffle of 0..count-1 seeded by (seed, round) with a process-independent mix.</summary>
    public static int[] SeededOrder(int count, long seed, int round)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked((int)(seed * 1_000_003L + round * 7_919L))).Shuffle(order);
        return order;
    }

    private IEnumerable<int> RetainWalk()
    {
        for (var round = 0; _retainCount > 0; round++)
        {
            foreach (var index in SeededOrder(_retainCount, _seed + 1, round))
            {
                yield return index;
            }
        }
    }
}
