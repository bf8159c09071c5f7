using Lethe.Engine.Evaluation.Runner;

namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>
/// One benchmark run: the model to unlearn, the reference model (trained without the forget split, for forget quality),
/// the TOFU-layout data folder and forget split, the methods and protocol, and the evaluation every method shares.
/// </summary>
public sealed record BenchmarkOptions
{
    public required string ModelDirectory { get; init; }
    public required string ReferenceModelDirectory { get; init; }
    public required string DataDirectory { get; init; }
    public required string Split { get; init; }

    /// <summary>Method names (see <see cref="UnlearningMethods"/>); the model before unlearning is always evaluated as "none".</summary>
    public IReadOnlyList<string> Methods { get; init; } = UnlearningMethods.BaselineNames;

    public BenchmarkProtocol Protocol { get; init; } = BenchmarkProtocol.Batch;

    /// <summary>At most this many forget QAs (whole people in the sequential protocol, people in the precise one) and items per evaluation set.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Sequential protocol: people per request.</summary>
    public int PeoplePerRequest { get; init; } = 2;

    /// <summary>Per-method hyperparameter overrides (method name -> name -> value).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Hyperparameters { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The evaluation; null = the demo preset for a folder with manifest.json, else the TOFU preset.</summary>
    public EvaluationSpec? Evaluation { get; init; }

    public long Seed { get; init; }

    /// <summary>Scratch folder for the evaluated data subsets.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The evaluation spec every model of the run is measured with.</summary>
    public EvaluationSpec ResolveEvaluation()
    {
        var preset = Evaluation
            ?? (File.Exists(Path.Combine(DataDirectory, DemoWorld.DemoWorldManifest.FileName)) ? EvaluationSpec.Demo : EvaluationSpec.Tofu);
        return (preset with { ForgetSplit = Split, MaxItems = MaxItems ?? preset.MaxItems, Reference = null }).Validate();
    }

    public void Validate()
    {
        foreach (var (name, folder) in new[] { ("model", ModelDirectory), ("reference model", ReferenceModelDirectory), ("data", DataDirectory) })
        {
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"The {name} folder '{folder}' does not exist.");
            }
        }
        BenchmarkData.RetainSplitOf(Split);
        UnlearningMethods.ParseList(string.Join(",", Methods));
        if (MaxItems is <= 0 || PeoplePerRequest <= 0)
        {
            throw new ArgumentException("--max-items and people per request must be positive.");
        }
    }
}

/// <summary>A progress report: which method (or "none" / "reference"), what it is doing, and the method's own report.</summary>
public sealed record BenchmarkProgress(string Method, string Stage, UnlearningProgress? Unlearning = null, EvaluationProgress? Evaluation = null);
