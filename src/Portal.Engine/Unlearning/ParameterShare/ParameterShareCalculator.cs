namespace Lethe.Engine.Unlearning.ParameterShare;

/// <summary>Edited count, total count and share = edited / total.</summary>
public sealed record ParameterShareResult(long EditedParameters, long TotalParameters)
{
    public double Share => (double)EditedParameters / TotalParameters;

    public override string ToString() =>
        $"{EditedParameters / 1e6:0.0}M of {TotalParameters / 1e9:0.00}B = {Share * 100:0.00}%";
}

/// <summary>
/// Share of parameters an edit changes: all entries of each edited (layer, matrix) plus any added token rows
/// (Stage I's [UNL] rows: 1 per trained embedding or head row, d_model each), over the model's total.
/// UniErase on Llama-3.1-8B: 5 down_proj matrices (layers 4-8) = 293.6M of 8.03B = 3.66%.
/// </summary>
public static class ParameterShareCalculator
{
    public static ParameterShareResult Compute(
        LlamaShape shape, IReadOnlyCollection<(int Layer, LlamaMatrix Matrix)> editedMatrices, int addedTokenRows = 0)
    {
        shape.Validate();
        if (addedTokenRows < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(addedTokenRows), addedTokenRows, "Added token rows cannot be negative.");
        }
        var outOfRange = editedMatrices.Where(edit => edit.Layer < 0 || edit.Layer >= shape.LayerCount).ToList();
        if (outOfRange.Count > 0)
        {
            throw new ArgumentException(
                $"Edited layers {string.Join(", ", outOfRange.Select(edit => edit.Layer))} lie outside 0..{shape.LayerCount - 1}.");
        }
        var edited = editedMatrices.Distinct().Sum(edit => shape.MatrixSize(edit.Matrix)) + addedTokenRows * shape.HiddenSize;
        return new ParameterShareResult(edited, shape.TotalParameters());
    }

    /// <summary>Convenience for UniErase's usual edit: the down_proj of each listed layer.</summary>
    public static ParameterShareResult ForDownProjections(LlamaShape shape, IEnumerable<int> layers, int addedTokenRows = 0) =>
        Compute(shape, layers.Select(layer => (layer, LlamaMatrix.DownProjection)).ToList(), addedTokenRows);
}
