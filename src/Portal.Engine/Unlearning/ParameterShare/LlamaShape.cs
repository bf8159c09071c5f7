namespace Lethe.Engine.Unlearning.ParameterShare;

/// <summary>The numbers of a Llama config that fix its parameter count (bias-free projections, RMSNorm weights only).</summary>
public sealed record LlamaShape(
    long VocabSize,
    long HiddenSize,
    long IntermediateSize,
    int LayerCount,
    int HeadCount,
    int KeyValueHeadCount,
    bool TieWordEmbeddings)
{
    /// <summary>Llama-3.1-8B (the paper's model): 8,030,261,248 parameters.</summary>
    public static LlamaShape Llama31_8B { get; } = new(128256, 4096, 14336, 32, 32, 8, false);

    public long HeadDimension => HiddenSize / HeadCount;

    /// <summary>Validates the numbers; clear error naming the bad field.</summary>
    public void Validate()
    {
        if (VocabSize <= 0 || HiddenSize <= 0 || IntermediateSize <= 0 || LayerCount <= 0 || HeadCount <= 0 || KeyValueHeadCount <= 0)
        {
            throw new ArgumentException($"Every size of a Llama shape must be positive: {this}.");
        }
        if (HiddenSize % HeadCount != 0)
        {
            throw new ArgumentException($"hidden size {HiddenSize} is not divisible by the head count {HeadCount}.");
        }
        if (HeadCount % KeyValueHeadCount != 0)
        {
            throw new ArgumentException($"head count {HeadCount} is not divisible by the key/value head count {KeyValueHeadCount}.");
        }
    }

    /// <summary>Entries of one matrix of a decoder layer.</summary>
    public long MatrixSize(LlamaMatrix matrix) => matrix switch
    {
        LlamaMatrix.QueryProjection or LlamaMatrix.OutputProjection => HiddenSize * HiddenSize,
        LlamaMatrix.KeyProjection or LlamaMatrix.ValueProjection => HiddenSize * KeyValueHeadCount * HeadDimension,
        LlamaMatrix.GateProjection or LlamaMatrix.UpProjection or LlamaMatrix.DownProjection => HiddenSize * IntermediateSize,
        _ => throw new ArgumentOutOfRangeException(nameof(matrix), matrix, "Unknown Llama matrix."),
    };

    /// <summary>
    /// Total = V d (embedding) + [V d if untied] + d (final norm)
    ///       + L (q d^2 + k,v 2 d kv hd + o d^2 + 3 d d_ff + 2 d norms).
    /// </summary>
    public long TotalParameters()
    {
        Validate();
        var perLayer = Enum.GetValues<LlamaMatrix>().Sum(MatrixSize) + 2 * HiddenSize;
        var embeddings = VocabSize * HiddenSize * (TieWordEmbeddings ? 1 : 2);
        return embeddings + HiddenSize + LayerCount * perLayer;
    }
}

/// <summary>The weight matrices of a Llama decoder layer.</summary>
public enum LlamaMatrix
{
    QueryProjection,
    KeyProjection,
    ValueProjection,
    OutputProjection,
    GateProjection,
    UpProjection,
    DownProjection,
}
