using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>
/// Adam on one row of a matrix parameter, leaving every other row bit-for-bit unchanged (no weight decay, no moments
/// for other rows). With g = grad[row]: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// row -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
/// </summary>
internal sealed class RowAdam(long dimension, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    : IDisposable
{
    private readonly Tensor _first = zeros(dimension);
    private readonly Tensor _second = zeros(dimension);
    private int _steps;

    public void Step(Tensor weight, long row)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var gradient = weight.grad ?? throw new InvalidOperationException("The trained matrix has no gradient; was backward() called?");
        var g = gradient[row];
        _steps++;
        _first.mul_(beta1).add_(g, alpha: 1 - beta1);
        _second.mul_(beta2).addcmul_(g, g, value: 1 - beta2);
        var firstHat = _first / (1 - Math.Pow(beta1, _steps));
        var secondHat = _second / (1 - Math.Pow(beta2, _steps));
        weight[row].sub_(firstHat / (secondHat.sqrt() + epsilon) * learningRate);
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }
}
