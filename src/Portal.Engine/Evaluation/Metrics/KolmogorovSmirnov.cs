namespace Lethe.Engine.Evaluation.Metrics;

public enum KolmogorovSmirnovMethod
{
    /// <summary>Exact, equal sizes: Gnedenko–Korolyuk alternating sum in big integers.</summary>
    ExactEqualSizes,
    /// <summary>Exact, unequal sizes: lattice paths leaving the band |i·n − j·m| &lt; h·gcd, counted in big integers.</summary>
    ExactLatticePaths,
    /// <summary>Kolmogorov limit distribution with Stephens' small-sample correction (very large samples only).</summary>
    Asymptotic,
}

/// <summary>D, the grid-rounded h = round(D·lcm(n1, n2)), the two-sided p-value and how it was computed.</summary>
public sealed record KolmogorovSmirnovResult(double Statistic, long H, double PValue, KolmogorovSmirnovMethod Method);

/// <summary>
/// Two-sample two-sided Kolmogorov–Smirnov test as <c>scipy.stats.ks_2samp(method='exact')</c>:
/// D = max_x |F1(x) − F2(x)| over the pooled values (right-continuous ECDFs, ties pooled), h = round(D·lcm),
/// p = P(D' ≥ h/lcm) for D' under H0 with no ties. Exact up to the limits below, asymptotic beyond.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>Largest n with the exact equal-size formula (binomials of 2n stay a few thousand limbs).</summary>
    public const int MaxExactEqualSize = 20_000;

    /// <summary>Largest n1·n2 grid counted exactly for unequal sizes.</summary>
    public const long MaxExactGridCells = 4_000_000;

    public static KolmogorovSmirnovResult TwoSample(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        if (first.Count == 0 || second.Count == 0)
        {
            throw new ArgumentException("Both samples of a KS test need at least one value.");
        }
        if (first.Concat(second).Any(double.IsNaN))
        {
            throw new ArgumentException("KS samples must not contain NaN.");
        }
        var statistic = Statistic(first, second);
        return PValue(statistic, first.Count, second.Count);
    }

    /// <summary>D = max over pooled values x of |#{a ≤ x}/n1 − #{b ≤ x}/n2|.</summary>
    public static double Statistic(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        var a = first.Order().ToArray();
        var b = second.Order().ToArray();
        int i = 0, j = 0;
        var statistic = 0.0;
        while (i < a.Length || j < b.Length)
        {
            var x = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }
            while (j < b.Length && b[j] <= x)
            {
                j++;
            }
            statistic = Math.Max(statistic, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }
        return statistic;
    }

    /// <summary>The two-sided p-value of statistic D for sample sizes n1, n2 (h = round(D·lcm) as numpy rounds, half to even).</summary>
    public static KolmogorovSmirnovResult PValue(double statistic, int n1, int n2)
    {
        var gcd = (int)System.Numerics.BigInteger.GreatestCommonDivisor(n1, n2);
        var lcm = (long)n1 / gcd * n2;
        var h = (long)Math.Round(statistic * lcm, MidpointRounding.ToEven);
        var gridStatistic = (double)h / lcm;
        if (h == 0)
        {
            return new(gridStatistic, 0, 1.0, n1 == n2 ? KolmogorovSmirnovMethod.ExactEqualSizes : KolmogorovSmirnovMethod.ExactLatticePaths);
        }
        if (n1 == n2 && n1 <= MaxExactEqualSize)
        {
            return new(gridStatistic, h, KolmogorovSmirnovExact.EqualSizes(n1, (int)h), KolmogorovSmirnovMethod.ExactEqualSizes);
        }
        if (n1 != n2 && (long)n1 * n2 <= MaxExactGridCells)
        {
            return new(gridStatistic, h, KolmogorovSmirnovExact.LatticePaths(n1, n2, h * gcd), KolmogorovSmirnovMethod.ExactLatticePaths);
        }
        return new(gridStatistic, h, Asymptotic(gridStatistic, n1, n2), KolmogorovSmirnovMethod.Asymptotic);
    }

    /// <summary>Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}, λ = (√e + 0.12 + 0.11/√e)·D, e = n1·n2/(n1+n2).</summary>
    public static double Asymptotic(double statistic, int n1, int n2)
    {
        var effective = Math.Sqrt((double)n1 * n2 / (n1 + n2));
        var lambda = (effective + 0.12 + 0.11 / effective) * statistic;
        if (lambda < 1e-3)
        {
            return 1.0;
        }
        var sum = 0.0;
        for (var k = 1; k <= 200; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += k % 2 == 1 ? term : -term;
            if (term < 1e-300)
            {
                break;
            }
        }
        return Math.Clamp(2 * sum, 0, 1);
    }
}
