using System.Text.Json;
using System.Text.Json.Serialization;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.StageOne;
using Lethe.Engine.Unlearning.Storage;
using Lethe.Engine.Unlearning.UniErase;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.Records;

/// <summary>
/// One UniErase version over its parent model: the [UNL] rows, W_new - W_old of every edited down_proj, the sequential
/// memory C_p after the edit, configuration, diagnostics and timings (edit.json). Saved as a folder with a SHA-256 per
/// file; <see cref="ApplyTo"/> turns the parent model into the edited one.
/// </summary>
public sealed class EditRecord(EditRecordInfo info, UnlearningToken token, IReadOnlyDictionary<int, Tensor> deltas, SequentialEditMemory memory) : IDisposable
{
    public const string InfoFile = "edit.json";
    private const string TokenStem = "token";
    private const string DeltaStem = "down_proj_deltas";
    private const string MemoryStem = "sequential_memory";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public EditRecordInfo Info { get; } = info;
    public UnlearningToken Token { get; } = token;

    /// <summary>Layer -> W_new - W_old, [d_model, d_ff].</summary>
    public IReadOnlyDictionary<int, Tensor> Deltas { get; } = deltas;

    /// <summary>C_p after this edit (continue the sequence from here).</summary>
    public SequentialEditMemory Memory { get; } = memory;

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, InfoFile), JsonSerializer.Serialize(Info, JsonOptions));
        Token.Save(Path.Combine(folder, TokenStem));
        TensorFileStore.Save(Path.Combine(folder, DeltaStem), Deltas.ToDictionary(p => LayerName(p.Key), p => p.Value), Deltas.Keys.Order().ToList());
        Memory.Save(Path.Combine(folder, MemoryStem));
        FolderChecksums.Write(folder);
    }

    /// <summary>Loads a record after verifying every file's SHA-256.</summary>
    public static EditRecord Load(string folder)
    {
        FolderChecksums.Verify(folder);
        var infoPath = Path.Combine(folder, InfoFile);
        EditRecordInfo info;
        try
        {
            info = JsonSerializer.Deserialize<EditRecordInfo>(File.ReadAllText(infoPath), JsonOptions)
                ?? throw new InvalidDataException($"{infoPath}:1: empty edit record.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{infoPath}:{(error.LineNumber ?? 0) + 1}: malformed edit record: {error.Message}", error);
        }
        var deltaStem = Path.Combine(folder, DeltaStem);
        var (tensors, layers) = TensorFileStore.Load<List<int>>(deltaStem);
        var deltas = layers.ToDictionary(layer => layer, layer => TensorFileStore.Require(tensors, LayerName(layer), deltaStem));
        return new EditRecord(info, UnlearningToken.Load(Path.Combine(folder, TokenStem)), deltas, SequentialEditMemory.Load(Path.Combine(folder, MemoryStem)));
    }

    /// <summary>Installs [UNL] and adds every delta to the parent's down_proj; refuses a model that is not the parent.</summary>
    public void ApplyTo(LanguageModel parent)
    {
        var fingerprint = ModelFingerprint.Of(parent.Model);
        if (fingerprint != Info.ParentFingerprint)
        {
            throw new InvalidOperationException(
                $"This edit record belongs to the model version {Info.ParentFingerprint}; the given model is {fingerprint}.");
        }
        Token.Install(parent);
        using var _ = no_grad();
        foreach (var (layer, delta) in Deltas)
        {
            parent.Model.DownProjWeight(layer).add_(delta.to(parent.Model.DownProjWeight(layer).dtype));
        }
    }

    private static string LayerName(int layer) => $"layer.{layer}.down_proj.delta";

    public void Dispose()
    {
        Token.Dispose();
        foreach (var delta in Deltas.Values)
        {
            delta.Dispose();
        }
        Memory.Dispose();
    }
}
