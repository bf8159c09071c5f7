using Lethe.Engine.Evaluation.Metrics;

namespace Lethe.Engine.Tests.Evaluation;

public sealed class KolmogorovSmirnovTests
{
    [Theory]
    [InlineData(40, 10, 1.649727e-01)]
    [InlineData(200, 30, 2.209236e-02)]
    [InlineData(400, 60, 2.412827e-04)]
    [InlineData(300, 119, 1.834066e-21)]
    public void EqualSizesMatchMetricsVectors(int n, int h, double expected) =>
        Assert.Equal(expected, KolmogorovSmirnovExact.EqualSizes(n, h), expected * 1e-6);

    [Fact]
    public void EqualSizesAtZeroDistanceIsOneAndTinyValuesDoNotUnderflow()
    {
        Assert.Equal(1.0, KolmogorovSmirnov.PValue(0, 50, 50).PValue);
        var extreme = KolmogorovSmirnovExact.EqualSizes(400, 400); // only the two all-one-side orders: 2 / C(800, 400)
        Assert.InRange(extreme, 1e-240, 1e-236);
    }

    /// <summary>Values derived by enumerating all C(m+n, m) interleavings with exact fractions (D ≥ d counted).</summary>
    [Theory]
    [InlineData(2, 3, 2.0 / 3, 3.0 / 5)]
    [InlineData(3, 5, 3.0 / 5, 13.0 / 28)]
    [InlineData(4, 6, 1.0 / 2, 58.0 / 105)]
    [InlineData(5, 7, 5.0 / 7, 13.0 / 198)]
    [InlineData(3, 7, 5.0 / 7, 1.0 / 6)]
    public void UnequalSizesMatchExhaustiveEnumeration(int m, int n, double statistic, double expected)
    {
        var result = KolmogorovSmirnov.PValue(statistic, m, n);
        Assert.Equal(KolmogorovSmirnovMethod.ExactLatticePaths, result.Method);
        Assert.Equal(expected, result.PValue, 1e-14);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(4, 6)]
    [InlineData(5, 8)]
    [InlineData(6, 9)]
    public void UnequalSizesAgreeWithBruteForceForEveryAttainableStatistic(int m, int n)
    {
        var statistics = AllInterleavings(m, n).Select(order => StatisticOf(order, m, n)).ToList();
        foreach (var d in statistics.Distinct())
        {
            var expected = (double)statistics.Count(s => s >= d - 1e-12) / statistics.Count;
            Assert.Equal(expected, KolmogorovSmirnov.PValue(d, m, n).PValue, 1e-13);
        }
    }

    [Theory]
    [InlineData(40, 10)]
    [InlineData(120, 30)]
    [InlineData(300, 119)]
    public void LatticePathCountingAgreesWithTheClosedFormOnEqualSizes(int n, int h) =>
        Assert.Equal(KolmogorovSmirnovExact.EqualSizes(n, h), KolmogorovSmirnovExact.LatticePaths(n, n, (long)h * n),
            KolmogorovSmirnovExact.EqualSizes(n, h) * 1e-12);

    [Fact]
    public void StatisticPoolsTiesLikeScipy()
    {
        Assert.Equal(1.0, KolmogorovSmirnov.Statistic([1, 2], [3, 4, 5]));
        Assert.Equal(0.2, KolmogorovSmirnov.TwoSample([1, 2], [3, 4, 5]).PValue, 14);
        // ties across samples: at x = 1 both ECDFs jump together
        Assert.Equal(0.5, KolmogorovSmirnov.Statistic([1, 1, 2, 3], [1, 1, 4, 5]), 14);
    }

    [Fact]
    public void LargeUnequalSamplesFallBackToTheAsymptoticDistribution()
    {
        var result = KolmogorovSmirnov.PValue(0.05, 3000, 2000);
        Assert.Equal(KolmogorovSmirnovMethod.Asymptotic, result.Method);
        Assert.InRange(result.PValue, 0.003, 0.006); // λ ≈ 0.05·√1200 ≈ 1.73 → Q_KS ≈ 0.005
    }

    [Fact]
    public void BigRatiosConvertWithoutOverflow()
    {
        Assert.Equal(252, (int)KolmogorovSmirnovExact.Binomial(10, 5));
        Assert.Equal(0, (int)KolmogorovSmirnovExact.Binomial(5, 7));
        var huge = System.Numerics.BigInteger.Pow(10, 400);
        Assert.Equal(1e-100, KolmogorovSmirnovExact.RatioToDouble(System.Numerics.BigInteger.Pow(10, 300), huge), 1e-114);
        Assert.Equal(1.0 / 3, KolmogorovSmirnovExact.RatioToDouble(huge, 3 * huge), 15);
        Assert.Equal(1e100, KolmogorovSmirnovExact.RatioToDouble(huge, System.Numerics.BigInteger.Pow(10, 300)), 1e86);
    }

    [Fact]
    public void EmptyOrNaNSamplesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([], [1.0]));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([double.NaN], [1.0]));
    }

    private static IEnumerable<bool[]> AllInterleavings(int m, int n)
    {
        for (var mask = 0; mask < 1 << (m + n); mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) == m)
            {
                yield return Enumerable.Range(0, m + n).Select(bit => (mask >> bit & 1) == 1).ToArray();
            }
        }
    }

    private static double StatisticOf(bool[] firstSampleAt, int m, int n)
    {
        int i = 0, j = 0;
        var d = 0.0;
        foreach (var fromFirst in firstSampleAt)
        {
            if (fromFirst) { i++; } else { j++; }
            d = Math.Max(d, Math.Abs((double)i / m - (double)j / n));
        }
        return d;
    }
}
