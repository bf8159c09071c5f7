using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Process-lifetime scalars for the forward pass. TorchSharp 0.107 turns a number operand (and the implicit alpha = 1 of
/// <c>a + b</c> / <c>a - b</c>) into a temporary <see cref="Scalar"/> whose finalizer frees the native value; when a
/// garbage collection triggered by another thread runs that finalizer while libtorch is still reading the value, the
/// operation fails ("Expected false to be true" in c10::Scalar::toFloat). Statics are never finalized, so the hot path
/// uses these and the helpers below instead of operators with implicit scalars.
/// </summary>
public static class KeptScalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar MinusOne = (-1).ToScalar();
    public static readonly Scalar FloatMin = float.MinValue.ToScalar();

    /// <summary>a + b without a temporary alpha scalar.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);
}
