using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Per-row token positions for the access points: read vectors at one position per row, and add a vector at
/// one position per row of a layer output (both differentiable). Positions count the tokens of the current forward.
/// </summary>
public static class TokenPositions
{
    /// <summary>sequence [B,T,d], positions[b] in [0,T) -> [B,d] with row b = sequence[b, positions[b]].</summary>
    public static Tensor Gather(Tensor sequence, IReadOnlyList<int> positions)
    {
        using var scope = NewDisposeScope();
        var index = PositionIndex(sequence, positions).view(-1, 1, 1).expand(-1, 1, sequence.shape[2]);
        return sequence.gather(1, index).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Registers an edit on layer <paramref name="layer"/>'s output: h[b, positions[b]] += delta (delta [d] for all rows
    /// or [B,d] per row). Gradients flow to <paramref name="delta"/>.
    /// </summary>
    public static void AddAtPositions(this ForwardHooks hooks, int layer, Tensor delta, IReadOnlyList<int> positions)
    {
        hooks.LayerOutputEdits[layer] = hidden =>
        {
            using var scope = NewDisposeScope();
            var index = PositionIndex(hidden, positions);
            var oneHot = nn.functional.one_hot(index, hidden.shape[1]).to(hidden.dtype).unsqueeze(-1); // [B,T,1]
            var rows = delta.dim() == 1 ? delta.view(1, 1, -1) : delta.unsqueeze(1);                                       // [B|1,1,d]
            return hidden.Plus(oneHot * rows).MoveToOuterDisposeScope();
        };
    }

    private static Tensor PositionIndex(Tensor sequence, IReadOnlyList<int> positions)
    {
        long rows = sequence.shape[0], steps = sequence.shape[1];
        if (positions.Count != rows || positions.Any(p => p < 0 || p >= steps))
        {
            throw new ArgumentException($"need one position in [0, {steps}) per row for {rows} rows (got [{string.Join(",", positions)}])");
        }
        return tensor(positions.Select(p => (long)p).ToArray());
    }
}
