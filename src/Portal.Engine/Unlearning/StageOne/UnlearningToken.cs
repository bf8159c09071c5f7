using Lethe.Engine.Unlearning.Storage;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>
/// The learned [UNL] token of a model lineage: its input-embedding row and its output-head row ([d_model] each) and the
/// Stage I report. Trained once per lineage and reused by every later request (<see cref="Install"/>).
/// </summary>
public sealed class UnlearningToken : IDisposable
{
    public const string Text = LanguageModel.UnlearningTokenText;
    private const string InputRowName = "input_row";
    private const string OutputRowName = "output_row";

    public UnlearningToken(Tensor inputRow, Tensor outputRow, StageOneReport report)
    {
        if (inputRow.dim() != 1 || outputRow.dim() != 1 || inputRow.shape[0] != outputRow.shape[0])
        {
            throw new ArgumentException(
                $"Token rows must be two [d_model] vectors, got [{string.Join(", ", inputRow.shape)}] and [{string.Join(", ", outputRow.shape)}].");
        }
        InputRow = inputRow.detach().to(ScalarType.Float32).cpu().clone();
        OutputRow = outputRow.detach().to(ScalarType.Float32).cpu().clone();
        Report = report;
    }

    /// <summary>Input-embedding row of [UNL], [d_model].</summary>
    public Tensor InputRow { get; }

    /// <summary>Output-head row of [UNL], [d_model] (equal to the input row when the model ties its head).</summary>
    public Tensor OutputRow { get; }

    public StageOneReport Report { get; }

    /// <summary>
    /// Adds [UNL] to the tokenizer as a special token (user text can never produce it), grows the model's tables when the
    /// id is new and writes the rows. Returns the token id.
    /// </summary>
    public int Install(LanguageModel model)
    {
        var id = AddTo(model);
        using var _ = no_grad();
        model.Model.EmbeddingWeight[id].copy_(InputRow.to(model.Model.EmbeddingWeight.dtype));
        if (!model.Model.Config.TieWordEmbeddings)
        {
            model.Model.OutputWeight[id].copy_(OutputRow.to(model.Model.OutputWeight.dtype));
        }
        return id;
    }

    /// <summary>Adds the [UNL] special token and a row for it (new rows start as the mean row); returns its id.</summary>
    public static int AddTo(LanguageModel model)
    {
        var id = model.Tokenizer.AddSpecialToken(Text);
        if (id >= model.Model.Config.VocabSize)
        {
            model.Model.ResizeTokenEmbeddings(id + 1);
        }
        return id;
    }

    /// <summary>The rows currently in the model for <paramref name="id"/>.</summary>
    public static UnlearningToken ReadFrom(LanguageModel model, int id, StageOneReport report) =>
        new(model.Model.EmbeddingWeight[id], model.Model.OutputWeight[id], report);

    public void Save(string stem) =>
        TensorFileStore.Save(stem, new Dictionary<string, Tensor> { [InputRowName] = InputRow, [OutputRowName] = OutputRow }, Report);

    public static UnlearningToken Load(string stem)
    {
        var (tensors, report) = TensorFileStore.Load<StageOneReport>(stem);
        return new UnlearningToken(
            TensorFileStore.Require(tensors, InputRowName, stem), TensorFileStore.Require(tensors, OutputRowName, stem), report);
    }

    public void Dispose()
    {
        InputRow.Dispose();
        OutputRow.Dispose();
    }
}
