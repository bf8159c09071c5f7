using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Edit;

/// <summary>
/// MEMIT-style spreading of the remaining residual over the edited layers, lowest first:
/// for the i-th (0-based) of N layers, R = (Z - H) / (N - i), with Z the targets and H the current outputs of the
/// last edited layer at the key positions, both [n, d_model].
/// </summary>
public static class ResidualSpread
{
    public static Tensor LayerResidual(Tensor targetsRows, Tensor currentRows, int layerIndex, int layerCount)
    {
        if (layerCount <= 0 || layerIndex < 0 || layerIndex >= layerCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(layerIndex), layerIndex, $"Layer index must lie in [0, {layerCount}) for {layerCount} edited layers.");
        }
        if (!targetsRows.shape.SequenceEqual(currentRows.shape))
        {
            throw new ArgumentException(
                $"Targets [{string.Join(", ", targetsRows.shape)}] and current outputs [{string.Join(", ", currentRows.shape)}] differ in shape.");
        }
        using var _ = no_grad();
        return (targetsRows.detach() - currentRows.detach().to(targetsRows.dtype)) / (layerCount - layerIndex);
    }
}
