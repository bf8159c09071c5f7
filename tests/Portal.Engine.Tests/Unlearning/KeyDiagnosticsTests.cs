using Lethe.Engine.Unlearning.Diagnostics;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

public class KeyDiagnosticsTests
{
    [Fact]
    public void NearestRetainedCosineOnConstructedKeys()
    {
        using var forget = tensor(new double[] { 2, 0, 0, 0, 1, 0 }, 2, 3);
        using var retained = tensor(new double[] { 1, 0, 0, 0, 0, 5, 0, 1, 1 }, 3, 3);

        using var cosines = KeyDiagnostics.NearestRetainedCosine(forget, retained);
        var summary = KeyDiagnostics.NearestRetainedCosineSummary(forget, retained);

        Assert.Equal(1.0, cosines[0].item<double>(), 6);
        Assert.Equal(Math.Sqrt(0.5), cosines[1].item<double>(), 6);
        Assert.Equal((1 + Math.Sqrt(0.5)) / 2, summary.Mean, 6);
        Assert.Equal(1.0, summary.Max, 6);
    }

    [Fact]
    public void NullSpaceEnergyShareOnConstructedProjector()
    {
        using var projector = diag(tensor(new double[] { 1, 0, 0 }));
        using var keys = tensor(new double[] { 1, 1, 0, 0, 0, 3 }, 2, 3);

        using var shares = KeyDiagnostics.NullSpaceEnergyShares(projector, keys);

        Assert.Equal([0.5, 0.0], shares.data<double>().ToArray());
        Assert.Equal(0.25, KeyDiagnostics.NullSpaceEnergyShare(projector, keys), 6);
    }

    [Fact]
    public void RelativeUpdateNormIsFrobeniusRatio()
    {
        using var weight = UnlearningTensors.Normal(61, 4, 6);
        using var update = weight.T * 0.1;

        Assert.Equal(0.1, KeyDiagnostics.RelativeUpdateNorm(update, weight), 10);
        using var zero = zeros(4, 6);
        Assert.Contains("zero norm", Assert.Throws<ArgumentException>(() => KeyDiagnostics.RelativeUpdateNorm(update, zero)).Message);
    }

    [Fact]
    public void LayerDiagnosticsSeparateOrthogonalForgetKeys()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector();

        var layer = KeyDiagnostics.ForLayer(3, fixture.ForgetKeys, fixture.PreservedKeys, projector.Projector);

        Assert.Equal(3, layer.Layer);
        Assert.True(layer.ForgetRetainedCosineMax < 1e-6);
        Assert.True(layer.ForgetNullSpaceEnergy > 0.999);
        Assert.True(layer.RetainedNullSpaceEnergy < 1e-6);
    }

    [Fact]
    public void MismatchedKeyWidthsAreRejected()
    {
        using var forget = zeros(2, 3);
        using var retained = zeros(2, 4);
        Assert.Contains("[n, 4]", Assert.Throws<ArgumentException>(() => KeyDiagnostics.NearestRetainedCosine(forget, retained)).Message);
    }
}
