using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Edit;

/// <summary>
/// AlphaEdit closed form for one layer. With K = keys as columns [d_ff, n] (we take rows: keysRows = K^T [n, d_ff]),
/// R = residuals as columns [d_model, n] (residualRows = R^T [n, d_model]), P the null-space projector and C_p the
/// sequential key memory (both [d_ff, d_ff]):
///   solve  (P (K K^T + C_p) + lambda I) X = P K R^T      X: [d_ff, d_model],  then  W += X^T  (W: [d_model, d_ff]);
///   equivalently  Delta = R K^T P ((K K^T + C_p) P + lambda I)^-1  [d_model, d_ff].
/// </summary>
public static class AlphaEditSolver
{
    /// <summary>Released lambda (L2 weight of the update).</summary>
    public const double ReleasedLambda = 10.0;

    /// <summary>X = (P (K K^T + C_p) + lambda I)^-1 P K R^T, [d_ff, d_model], in <paramref name="dtype"/> (fp32 or fp64).</summary>
    public static Tensor Solve(
        Tensor keysRows, Tensor residualRows, Tensor projector, Tensor? sequentialMemory, double lambda,
        ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var system = EditSystem.Create(keysRows, residualRows, projector, sequentialMemory, lambda, dtype);
        using var _ = no_grad();
        return linalg.solve(system.LeftHandSide(), system.RightHandSide()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Solve"/> and how well it solved the system it built: ||A X - B||_F / ||B||_F for A = P (K K^T + C_p) +
    /// lambda I and B = P K R^T as solved (in <paramref name="dtype"/>), evaluated in fp64 -- the system is built once
    /// (<see cref="RelativeNormalEquationResidual"/> rebuilds it in fp64, a second 512^3 product per layer).
    /// </summary>
    public static (Tensor Update, double NormalEquationResidual) SolveWithResidual(
        Tensor keysRows, Tensor residualRows, Tensor projector, Tensor? sequentialMemory, double lambda,
        ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var system = EditSystem.Create(keysRows, residualRows, projector, sequentialMemory, lambda, dtype);
        using var _ = no_grad();
        var (left, right) = (system.LeftHandSide(), system.RightHandSide());
        var update = linalg.solve(left, right);
        var rhs = right.to(ScalarType.Float64);
        var error = left.to(ScalarType.Float64).matmul(update.to(ScalarType.Float64)) - rhs;
        var residual = error.norm().item<double>() / Math.Max(rhs.norm().item<double>(), double.Epsilon);
        return (update.MoveToOuterDisposeScope(), residual);
    }

    /// <summary>Delta = R K^T P ((K K^T + C_p) P + lambda I)^-1, [d_model, d_ff]; equals Solve(...)^T.</summary>
    public static Tensor ClosedFormDelta(
        Tensor keysRows, Tensor residualRows, Tensor projector, Tensor? sequentialMemory, double lambda,
        ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var system = EditSystem.Create(keysRows, residualRows, projector, sequentialMemory, lambda, dtype);
        using var _ = no_grad();
        var inner = system.LeftHandSide().T; // (K K^T + C_p) P + lambda I
        var left = system.Residuals.matmul(system.Keys.T).matmul(system.Projector);
        return left.matmul(linalg.inv(inner)).MoveToOuterDisposeScope();
    }

    /// <summary>Normal-equation residual ||(P (K K^T + C_p) + lambda I) X - P K R^T||_F / ||P K R^T||_F (diagnostic, ~0 for a solution).</summary>
    public static double RelativeNormalEquationResidual(
        Tensor update, Tensor keysRows, Tensor residualRows, Tensor projector, Tensor? sequentialMemory, double lambda)
    {
        using var scope = NewDisposeScope();
        var system = EditSystem.Create(keysRows, residualRows, projector, sequentialMemory, lambda, ScalarType.Float64);
        using var _ = no_grad();
        var rhs = system.RightHandSide();
        var error = system.LeftHandSide().matmul(update.to(ScalarType.Float64).to(rhs.device)) - rhs;
        var scale = Math.Max(rhs.norm().item<double>(), double.Epsilon);
        return error.norm().item<double>() / scale;
    }

    /// <summary>W += X^T in place, W: [d_model, d_ff], X: [d_ff, d_model] (cast to W's dtype and device).</summary>
    public static void ApplyInPlace(Tensor weight, Tensor update)
    {
        if (weight.dim() != 2 || update.dim() != 2 || weight.shape[0] != update.shape[1] || weight.shape[1] != update.shape[0])
        {
            throw new ArgumentException(
                $"Update [{string.Join(", ", update.shape)}] must be the transpose shape of weight [{string.Join(", ", weight.shape)}].");
        }
        using var _ = no_grad();
        using var transposed = update.T.to(weight.dtype).to(weight.device);
        weight.add_(transposed);
    }
}
