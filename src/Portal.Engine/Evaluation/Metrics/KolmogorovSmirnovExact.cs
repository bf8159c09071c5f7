using System.Numerics;

namespace Lethe.Engine.Evaluation.Metrics;

/// <summary>Exact two-sided KS tail probabilities in big-integer arithmetic (no cancellation, p down to 1e-300 and below as ratios).</summary>
public static class KolmogorovSmirnovExact
{
    /// <summary>
    /// Equal sizes n (Gnedenko–Korolyuk): p = 2 Σ_{j=1}^{⌊n/h⌋} (−1)^{j−1} C(2n, n − j·h) / C(2n, n), clipped to [0, 1].
    /// </summary>
    public static double EqualSizes(int n, int h)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegative(h);
        if (h == 0)
        {
            return 1.0;
        }
        // Walk C(2n, k) from k = n downwards: C(2n, k−1) = C(2n, k)·k / (2n − k + 1).
        var central = Binomial(2 * n, n);
        var binomial = central;
        var alternatingSum = BigInteger.Zero;
        var k = n;
        for (var j = 1; j <= n / h; j++)
        {
            for (var target = n - j * h; k > target; k--)
            {
                binomial = binomial * k / (2 * n - k + 1);
            }
            alternatingSum += j % 2 == 1 ? binomial : -binomial;
        }
        return Math.Clamp(RatioToDouble(2 * alternatingSum, central), 0, 1);
    }

    /// <summary>
    /// Unequal sizes m, n: p = 1 − (#monotone lattice paths (0,0)→(m,n) with |i·n − j·m| &lt; bound at every point) / C(m+n, m),
    /// where bound = h·gcd(m, n); computed as (total − inside) / total in exact integers.
    /// </summary>
    public static double LatticePaths(int m, int n, long bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        // paths[j] = number of inside paths reaching (i, j); row i reuses the array (shape [n+1]).
        var paths = new BigInteger[n + 1];
        for (var i = 0; i <= m; i++)
        {
            for (var j = 0; j <= n; j++)
            {
                if (Math.Abs((long)i * n - (long)j * m) >= bound)
                {
                    paths[j] = BigInteger.Zero;
                }
                else if (i == 0 && j == 0)
                {
                    paths[j] = BigInteger.One;
                }
                else
                {
                    paths[j] = (i > 0 ? paths[j] : BigInteger.Zero) + (j > 0 ? paths[j - 1] : BigInteger.Zero);
                }
            }
        }
        var total = Binomial(m + n, m);
        return Math.Clamp(RatioToDouble(total - paths[n], total), 0, 1);
    }

    public static BigInteger Binomial(int n, int k)
    {
        if (k < 0 || k > n)
        {
            return BigInteger.Zero;
        }
        k = Math.Min(k, n - k);
        var result = BigInteger.One;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }
        return result;
    }

    /// <summary>numerator/denominator to double without overflow or underflow of the operands: 64 quotient bits, then scaled.</summary>
    public static double RatioToDouble(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), "The denominator must be positive.");
        }
        if (numerator.IsZero)
        {
            return 0;
        }
        var shift = (int)(denominator.GetBitLength() - BigInteger.Abs(numerator).GetBitLength()) + 64;
        var quotient = shift >= 0 ? (numerator << shift) / denominator : numerator / (denominator << -shift);
        return Math.ScaleB((double)quotient, -shift);
    }
}
