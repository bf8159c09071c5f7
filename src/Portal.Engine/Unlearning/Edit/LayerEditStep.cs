using Lethe.Engine.Unlearning.Diagnostics;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Edit;

/// <summary>What one layer's edit did: the update's size relative to the weight and how well it solved its system.</summary>
public sealed record LayerEditResult(int Layer, double RelativeUpdateNorm, double NormalEquationResidual);

/// <summary>
/// One layer of the Stage II loop, model-free: R = (Z - H) / (N - i); X = solve((P (K K^T + C_p) + lambda I), P K R^T);
/// W += X^T. The caller recomputes keys K (down_proj inputs, [n, d_ff]) and H (outputs of the last edited layer,
/// [n, d_model]) on the partially edited model before each call, lowest layer first.
/// </summary>
public static class LayerEditStep
{
    public static LayerEditResult Apply(
        int layer, int layerIndex, int layerCount, Tensor downProjWeight, Tensor keysRows, Tensor targetsRows,
        Tensor currentRows, Tensor projector, Tensor? sequentialMemory, double lambda, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var residuals = ResidualSpread.LayerResidual(targetsRows, currentRows, layerIndex, layerCount);
        var (update, normalResidual) = AlphaEditSolver.SolveWithResidual(keysRows, residuals, projector, sequentialMemory, lambda, dtype);
        var relativeNorm = KeyDiagnostics.RelativeUpdateNorm(update, downProjWeight);
        AlphaEditSolver.ApplyInPlace(downProjWeight, update);
        return new LayerEditResult(layer, relativeNorm, normalResidual);
    }
}
