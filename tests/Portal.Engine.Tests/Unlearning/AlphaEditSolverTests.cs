using Lethe.Engine.Unlearning.Edit;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

public class AlphaEditSolverTests
{
    [Fact]
    public void SolveSatisfiesNormalEquationsAndEqualsClosedForm()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector();
        using var keys = UnlearningTensors.Normal(11, 6, 32);       // generic keys [n, d_ff]
        using var residuals = UnlearningTensors.Normal(12, 6, 16);  // [n, d_model]
        using var memoryKeys = UnlearningTensors.Normal(13, 9, 32);
        using var memory = memoryKeys.T.matmul(memoryKeys);        // C_p [d_ff, d_ff]

        using var update = AlphaEditSolver.Solve(keys, residuals, projector.Projector, memory, 0.5, ScalarType.Float64);
        using var delta = AlphaEditSolver.ClosedFormDelta(keys, residuals, projector.Projector, memory, 0.5, ScalarType.Float64);
        var residualNorm = AlphaEditSolver.RelativeNormalEquationResidual(update, keys, residuals, projector.Projector, memory, 0.5);

        Assert.Equal([32L, 16L], update.shape);
        Assert.Equal([16L, 32L], delta.shape);
        Assert.True(residualNorm < 1e-10, $"normal-equation residual {residualNorm}");
        Assert.True(UnlearningTensors.RelativeError(delta, update.T) < 1e-9);
    }

    [Fact]
    public void Fp32SolveAgreesWithFp64()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector();
        using var keys = fixture.ComplementKeys(5, 21);
        using var residuals = UnlearningTensors.Normal(22, 5, 16);

        using var precise = AlphaEditSolver.Solve(keys, residuals, projector.Projector, null, 1.0, ScalarType.Float64);
        using var single = AlphaEditSolver.Solve(keys, residuals, projector.Projector, null, 1.0);

        Assert.Equal(ScalarType.Float32, single.dtype);
        Assert.True(UnlearningTensors.RelativeError(single.to(ScalarType.Float64), precise) < 1e-4);
    }

    [Fact]
    public void SolveWithResidualReturnsTheSolveAndTheResidualOfTheSystemItSolved()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector(dtype: ScalarType.Float32);
        using var keys = UnlearningTensors.Normal(11, 6, 32);
        using var residuals = UnlearningTensors.Normal(12, 6, 16);
        using var memoryKeys = UnlearningTensors.Normal(13, 9, 32);
        using var memory = memoryKeys.T.matmul(memoryKeys);

        var (update, residual) = AlphaEditSolver.SolveWithResidual(keys, residuals, projector.Projector, memory, 0.5);
        using var alone = AlphaEditSolver.Solve(keys, residuals, projector.Projector, memory, 0.5);
        var againstFp64 = AlphaEditSolver.RelativeNormalEquationResidual(update, keys, residuals, projector.Projector, memory, 0.5);

        Assert.Equal(ScalarType.Float32, update.dtype);
        Assert.True(update.allclose(alone, rtol: 0, atol: 0)); // the same solve
        Assert.True(residual is > 0 and < 1e-4, $"residual {residual}"); // fp32 LU on the fp32 system
        Assert.True(againstFp64 < 1e-4, $"against the fp64 system {againstFp64}");
        update.Dispose();
    }

    [Fact]
    public void EditReachesForgetTargetsAndLeavesPreservedOutputs()
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector();
        using var weight = UnlearningTensors.Normal(31, 16, 32);          // W [d_model, d_ff]
        using var residuals = UnlearningTensors.Normal(32, 6, 16);        // wanted change of W k_f, [n, d_model]
        using var before = weight.clone();
        using var targets = fixture.ForgetKeys.matmul(weight.T) + residuals;

        using var update = AlphaEditSolver.Solve(fixture.ForgetKeys, residuals, projector.Projector, null, 1e-6, ScalarType.Float64);
        AlphaEditSolver.ApplyInPlace(weight, update);

        using var forgetOutputs = fixture.ForgetKeys.matmul(weight.T);
        using var preservedBefore = fixture.PreservedKeys.matmul(before.T);
        using var preservedAfter = fixture.PreservedKeys.matmul(weight.T);
        Assert.True(UnlearningTensors.RelativeError(forgetOutputs, targets) < 1e-3);
        Assert.True(UnlearningTensors.RelativeError(preservedAfter, preservedBefore) < 1e-8);
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        using var keys = zeros(4, 8);
        using var residuals = zeros(3, 5);
        using var projector = eye(8);
        using var wrongProjector = eye(7);
        using var goodResiduals = zeros(4, 5);
        Assert.Contains("same n", Assert.Throws<ArgumentException>(() => AlphaEditSolver.Solve(keys, residuals, projector, null, 1)).Message);
        Assert.Contains("projector", Assert.Throws<ArgumentException>(() => AlphaEditSolver.Solve(keys, goodResiduals, wrongProjector, null, 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AlphaEditSolver.Solve(keys, goodResiduals, projector, null, -1));
        using var weight = zeros(5, 8);
        using var wrongUpdate = zeros(5, 8);
        Assert.Throws<ArgumentException>(() => AlphaEditSolver.ApplyInPlace(weight, wrongUpdate));
    }

    [Fact]
    public void ResidualIsSpreadOverTheRemainingLayers()
    {
        using var targets = tensor(new double[] { 6, 12 }, 1, 2);
        using var current = tensor(new double[] { 0, 3 }, 1, 2);

        using var first = ResidualSpread.LayerResidual(targets, current, 0, 3);
        using var last = ResidualSpread.LayerResidual(targets, current, 2, 3);

        Assert.Equal([2.0, 3.0], first.data<double>().ToArray());
        Assert.Equal([6.0, 9.0], last.data<double>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => ResidualSpread.LayerResidual(targets, current, 3, 3));
    }
}
