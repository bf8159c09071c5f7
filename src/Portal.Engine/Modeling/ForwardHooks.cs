using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Access points into one forward pass, used by the unlearning method (keys, values, value edits).
/// Captured tensors outlive the forward; they are detached unless autograd is enabled.
/// The caller owns (and should dispose) the captured tensors.
/// </summary>
public sealed class ForwardHooks : IDisposable
{
    /// <summary>Layers whose down_proj INPUT k = SiLU(gate(x)) * up(x) is captured into <see cref="DownProjInputs"/>.</summary>
    public HashSet<int> CaptureDownProjInputAt { get; } = new();

    /// <summary>Layers whose output (the residual stream after the block) is captured into <see cref="LayerOutputs"/>.</summary>
    public HashSet<int> CaptureLayerOutputAt { get; } = new();

    /// <summary>Applied to layer i's output [B,T,d] before the next layer (differentiable).</summary>
    public Dictionary<int, Func<Tensor, Tensor>> LayerOutputEdits { get; } = new();

    /// <summary>Filled by forward: layer -> [B,T,d_ff].</summary>
    public Dictionary<int, Tensor> DownProjInputs { get; } = new();

    /// <summary>Filled by forward: layer -> [B,T,d] (after edits).</summary>
    public Dictionary<int, Tensor> LayerOutputs { get; } = new();

    /// <summary>Disposes and forgets the captured tensors (the capture and edit settings stay).</summary>
    public void ClearCaptured()
    {
        foreach (var t in DownProjInputs.Values.Concat(LayerOutputs.Values))
        {
            t.Dispose();
        }
        DownProjInputs.Clear();
        LayerOutputs.Clear();
    }

    public void Dispose() => ClearCaptured();

    /// <summary>Keeps a captured tensor beyond the forward's dispose scope (detached when no gradient is wanted).</summary>
    internal static Tensor Keep(Tensor t)
    {
        // A new handle (alias keeps the autograd graph), so disposing the forward's own tensor does not free it.
        var kept = is_grad_enabled() ? t.alias() : t.detach();
        return kept.DetachFromDisposeScope();
    }
}
