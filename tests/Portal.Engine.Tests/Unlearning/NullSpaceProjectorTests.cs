using Lethe.Engine.Unlearning.Diagnostics;
using Lethe.Engine.Unlearning.NullSpace;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

public class NullSpaceProjectorTests
{
    [Fact]
    public void ProjectorAnnihilatesPreservedKeysAndKeepsOrthogonalForgetKeys()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector(dtype: ScalarType.Float32);

        using var projectedPreserved = projector.Project(fixture.PreservedKeys);
        var preservedRatio = projectedPreserved.norm().item<float>() / fixture.PreservedKeys.norm().item<double>();

        Assert.True(preservedRatio < 1e-4, $"||P k0|| / ||k0|| = {preservedRatio}");
        Assert.True(KeyDiagnostics.NullSpaceEnergyShare(projector.Projector, fixture.ForgetKeys) > 0.999);
        Assert.Equal(NullSpaceFixture.KeyDimension - NullSpaceFixture.PreservedRank, projector.KeptRank);
        Assert.Equal(EigenThreshold.DefaultRelative, projector.Threshold);
    }

    [Fact]
    public void ResidualIsTheCovarianceInsideTheNullSpaceAndSurvivesSaveAndLoad()
    {
        using var fixture = new NullSpaceFixture();
        using var mean = fixture.Covariance.Mean();
        using var covariance = mean.to(ScalarType.Float64);
        // A generous threshold keeps some small but non-zero preserved directions inside the null space.
        using var projector = NullSpaceProjector.Build(covariance, EigenThreshold.Relative(0.5), ScalarType.Float64);
        var p = projector.Projector;

        using var expected = p.matmul(covariance).matmul(p); // U_s diag(s_s) U_s^T = P C0 P
        Assert.NotNull(projector.Residual);
        Assert.True(projector.Residual!.allclose(expected, rtol: 0, atol: 1e-9));
        Assert.True(expected.norm().item<double>() > 0, "the threshold should leave some preserved energy inside the null space");

        var stem = Path.Combine(Path.GetTempPath(), $"lethe-residual-{Guid.NewGuid():N}", "projector");
        Directory.CreateDirectory(Path.GetDirectoryName(stem)!);
        projector.Save(stem);
        using var loaded = NullSpaceProjector.Load(stem);
        Assert.True(loaded.Residual!.allclose(projector.Residual, rtol: 0, atol: 1e-12));
        Directory.Delete(Path.GetDirectoryName(stem)!, recursive: true);
    }

    [Fact]
    public void ProjectorIsSymmetricAndIdempotent()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector();
        var p = projector.Projector;
        using var squared = p.matmul(p);

        Assert.True(squared.allclose(p, rtol: 0, atol: 1e-10));
        Assert.True(p.allclose(p.T, rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void AbsoluteThresholdGivesPaperParityAndRelativeScalesWithTheSpectrum()
    {
        using var fixture = new NullSpaceFixture();
        using var absolute = fixture.BuildProjector(EigenThreshold.ReleasedAbsolute);
        Assert.Equal(20, absolute.KeptRank);
        Assert.Equal(2e-2, absolute.Spectrum.CutOff);

        // Scaling C0 by 1e-3 pushes every eigenvalue under the absolute cut-off; the relative one is unaffected.
        using var scaled = fixture.Covariance.Mean() * 1e-3;
        using var absoluteScaled = NullSpaceProjector.Build(scaled, EigenThreshold.ReleasedAbsolute);
        using var relativeScaled = NullSpaceProjector.Build(scaled, EigenThreshold.DefaultRelative);
        Assert.Equal(32, absoluteScaled.KeptRank);
        Assert.Equal(20, relativeScaled.KeptRank);
        Assert.True(relativeScaled.Spectrum.KeptEnergyShare < 1e-10);
    }

    [Fact]
    public void CacheBuildsOnceAndReloadsTheSameProjector()
    {
        using var fixture = new NullSpaceFixture();
        var folder = Path.Combine(Path.GetTempPath(), $"lethe-proj-{Guid.NewGuid():N}");
        var cache = new ProjectorCache(folder);
        var key = new ProjectorCacheKey("model/abc123", 3, "corpus:9f", EigenThreshold.DefaultRelative);
        var builds = 0;

        using var built = cache.GetOrBuild(key, () => { builds++; return fixture.Covariance.Mean(); }, ScalarType.Float64);
        using var reloaded = cache.GetOrBuild(key, () => { builds++; return fixture.Covariance.Mean(); }, ScalarType.Float64);

        Assert.Equal(1, builds);
        Assert.True(cache.Contains(key));
        Assert.DoesNotContain("/", key.FileStem);
        Assert.True(reloaded.Projector.allclose(built.Projector));
        Assert.Equal(built.Spectrum, reloaded.Spectrum);
        Assert.Equal(built.Threshold, reloaded.Threshold);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void BadCovarianceAndThresholdsAreRejected()
    {
        using var rectangular = zeros(3, 4);
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => NullSpaceProjector.Build(rectangular, EigenThreshold.DefaultRelative)).Message);
        using var empty = zeros(4, 4);
        Assert.Contains("no positive eigenvalue", Assert.Throws<ArgumentException>(() => NullSpaceProjector.Build(empty, EigenThreshold.DefaultRelative)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => EigenThreshold.Relative(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => EigenThreshold.Absolute(0));
    }

    [Fact]
    public void MissingCacheFileNamesThePath()
    {
        var stem = Path.Combine(Path.GetTempPath(), $"lethe-missing-{Guid.NewGuid():N}");
        var error = Assert.Throws<FileNotFoundException>(() => NullSpaceProjector.Load(stem));
        Assert.Contains(stem, error.Message);
    }

    [Fact]
    public void LayerProjectorsBuiltSideBySideEqualTheOneByOneBuildAndRestoreTheThreadCount()
    {
        var threads = Lethe.Engine.TorchRuntime.Initialise();
        using var first = new NullSpaceFixture(seed: 7);
        using var second = new NullSpaceFixture(seed: 11);
        using var meanFirst = first.Covariance.Mean();
        using var meanSecond = second.Covariance.Mean();

        var built = LayerProjectors.Build(new Dictionary<int, Tensor> { [2] = meanFirst, [5] = meanSecond }, EigenThreshold.DefaultRelative);

        Assert.Equal(threads, get_num_threads());
        Assert.Equal([2, 5], built.Keys.Order());
        foreach (var (layer, covariance) in new[] { (2, meanFirst), (5, meanSecond) })
        {
            using var alone = NullSpaceProjector.Build(covariance, EigenThreshold.DefaultRelative);
            Assert.Equal(alone.KeptRank, built[layer].KeptRank);
            Assert.True(built[layer].Projector.allclose(alone.Projector, rtol: 0, atol: 1e-5), $"layer {layer}");
            built[layer].Dispose();
        }
        Assert.False(meanFirst.IsInvalid); // the caller keeps the covariances
    }
}
