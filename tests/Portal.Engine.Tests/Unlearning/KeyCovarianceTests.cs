using Lethe.Engine.Unlearning.NullSpace;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

public class KeyCovarianceTests
{
    [Fact]
    public void BatchesAndMergeEqualOneAccumulation()
    {
        using var keys = UnlearningTensors.Normal(1, 10, 6);
        using var whole = new KeyCovariance(6);
        whole.Add(keys);
        using var first = new KeyCovariance(6);
        first.Add(keys[..4]);
        using var second = new KeyCovariance(6);
        second.Add(keys[4..]);
        first.Merge(second);

        Assert.Equal(10, first.Count);
        Assert.True(first.Sum.allclose(whole.Sum));
        using var mean = whole.Mean();
        using var expected = keys.T.matmul(keys) / 10;
        Assert.True(mean.allclose(expected));
    }

    [Fact]
    public void SubtractingAPartLeavesTheRest()
    {
        using var keys = UnlearningTensors.Normal(3, 12, 5);
        using var rest = new KeyCovariance(5);
        rest.Add(keys[..8]);
        using var part = new KeyCovariance(5);
        part.Add(keys[8..]);
        using var whole = new KeyCovariance(5);
        whole.Add(keys);

        whole.Subtract(part);

        Assert.Equal(8, whole.Count);
        Assert.True(whole.Sum.allclose(rest.Sum, rtol: 1e-9, atol: 1e-9));
        using var tooMany = new KeyCovariance(5);
        tooMany.Add(keys);
        var error = Assert.Throws<InvalidOperationException>(() => rest.Subtract(tooMany));
        Assert.Contains("Cannot remove 12 keys from a covariance of 8", error.Message);
    }

    [Fact]
    public void Fp32KeysAccumulateLikeFp64Keys()
    {
        using var keys = UnlearningTensors.Normal(2, 300, 16) * 40;
        using var exact = new KeyCovariance(16);
        exact.Add(keys);
        using var fast = new KeyCovariance(16);
        fast.Add(keys.to(ScalarType.Float32));

        Assert.Equal(ScalarType.Float64, fast.Sum.dtype);
        using var error = (fast.Sum - exact.Sum).norm() / exact.Sum.norm();
        Assert.True(error.item<double>() < 1e-6, $"relative error {error.item<double>()}");
    }

    [Fact]
    public void WeightedUnionGivesEachSourceItsShare()
    {
        using var corpus = new KeyCovariance(2);
        corpus.Add(tensor(new double[] { 1, 0, 1, 0, 1, 0, 1, 0 }, 4, 2)); // E = diag(1, 0) from 4 keys
        using var retained = new KeyCovariance(2);
        retained.Add(tensor(new double[] { 0, 2 }, 1, 2));                 // E = diag(0, 4) from 1 key

        using var union = KeyCovariance.WeightedUnion([(corpus, 3.0), (retained, 1.0)]);

        Assert.Equal([0.75, 0, 0, 1.0], union.data<double>().ToArray());
    }

    [Fact]
    public void BadShapesAndWeightsAreRejectedWithReasons()
    {
        using var covariance = new KeyCovariance(4);
        using var wrong = zeros(3, 5);
        var shapeError = Assert.Throws<ArgumentException>(() => covariance.Add(wrong));
        Assert.Contains("[n, 4]", shapeError.Message);
        Assert.Throws<InvalidOperationException>(() => covariance.Mean());
        var weightError = Assert.Throws<ArgumentException>(() => KeyCovariance.WeightedUnion([(covariance, 0.0)]));
        Assert.Contains("zero", weightError.Message);
    }

    [Fact]
    public void SaveAndLoadRoundTrip()
    {
        var stem = Path.Combine(Path.GetTempPath(), $"lethe-cov-{Guid.NewGuid():N}", "cov");
        using var keys = UnlearningTensors.Normal(2, 5, 3);
        using var covariance = new KeyCovariance(3);
        covariance.Add(keys);
        covariance.Save(stem);

        using var loaded = KeyCovariance.Load(stem);

        Assert.Equal(5, loaded.Count);
        Assert.True(loaded.Sum.allclose(covariance.Sum));
        Directory.Delete(Path.GetDirectoryName(stem)!, recursive: true);
    }
}
