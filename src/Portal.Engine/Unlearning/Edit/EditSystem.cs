using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Edit;

/// <summary>
/// Validated operands of one layer's edit, cast to one dtype: Keys K [d_ff, n], Residuals R [d_model, n],
/// Projector P [d_ff, d_ff] and KeyGram = K K^T + C_p [d_ff, d_ff]. Tensors live in the caller's dispose scope.
/// </summary>
internal sealed record EditSystem(Tensor Keys, Tensor Residuals, Tensor Projector, Tensor KeyGram, double Lambda)
{
    /// <summary>P (K K^T + C_p) + lambda I, [d_ff, d_ff]; its transpose is (K K^T + C_p) P + lambda I.</summary>
    public Tensor LeftHandSide() =>
        Projector.matmul(KeyGram) + Lambda * eye(Keys.shape[0], dtype: Keys.dtype, device: Keys.device);

    /// <summary>P K R^T, [d_ff, d_model].</summary>
    public Tensor RightHandSide() => Projector.matmul(Keys).matmul(Residuals.T);

    public static EditSystem Create(
        Tensor keysRows, Tensor residualRows, Tensor projector, Tensor? sequentialMemory, double lambda, ScalarType dtype)
    {
        if (keysRows.dim() != 2 || residualRows.dim() != 2 || keysRows.shape[0] != residualRows.shape[0])
        {
            throw new ArgumentException(
                $"Keys [n, d_ff] and residuals [n, d_model] must have the same n; got [{string.Join(", ", keysRows.shape)}] and [{string.Join(", ", residualRows.shape)}].");
        }
        var dimension = keysRows.shape[1];
        RequireSquare(projector, dimension, "projector");
        if (sequentialMemory is not null)
        {
            RequireSquare(sequentialMemory, dimension, "sequential memory C_p");
        }
        if (lambda < 0 || double.IsNaN(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be non-negative.");
        }
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentException($"The edit is solved in fp32 or fp64, not {dtype}.", nameof(dtype));
        }
        var device = projector.device;
        using var _ = no_grad();
        var keys = keysRows.detach().to(dtype).to(device).T;
        var residuals = residualRows.detach().to(dtype).to(device).T;
        var gram = keys.matmul(keys.T);
        if (sequentialMemory is not null)
        {
            gram = gram + sequentialMemory.to(dtype).to(device);
        }
        return new EditSystem(keys, residuals, projector.detach().to(dtype), gram, lambda);
    }

    private static void RequireSquare(Tensor matrix, long dimension, string name)
    {
        if (matrix.dim() != 2 || matrix.shape[0] != dimension || matrix.shape[1] != dimension)
        {
            throw new ArgumentException(
                $"The {name} must be [{dimension}, {dimension}] to match the keys, got [{string.Join(", ", matrix.shape)}].");
        }
    }
}
