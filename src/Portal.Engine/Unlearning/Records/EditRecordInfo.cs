using Lethe.Engine.Unlearning.StageOne;
using Lethe.Engine.Unlearning.UniErase;

namespace Lethe.Engine.Unlearning.Records;

/// <summary>The configuration of an edit as stored: mode, key position, layers, lambda, threshold, target schedule, prefixes.</summary>
public sealed record EditConfiguration(
    string Method, string Mode, string KeyPosition, IReadOnlyList<int> Layers, double Lambda, string Threshold,
    int TargetSteps, double TargetRelativeLearningRate, int ContextPrefixes, double QuestionKeyWeight, string PreservationCorpusHash)
{
    /// <summary>Weight of the refusal term in the target loss (0 in records written before it existed).</summary>
    public double ContinuationWeight { get; init; }

    /// <summary>Weight of C_r, the keys reading the refusal after [UNL], in the solve.</summary>
    public double ContinuationKeyWeight { get; init; }

    /// <summary>mu, the soft weight of C0 inside the null space, in preserved keys.</summary>
    public double ResidualPreservationWeight { get; init; }

    /// <summary>General probe questions added to the preservation corpus.</summary>
    public int GeneralProbes { get; init; }

    public static EditConfiguration From(string mode, KeyPosition key, UniEraseSettings settings, int layerCount, IReadOnlyList<int> layers, PreservationCorpus corpus) =>
        new("unierase", mode, key.ToString(), layers, settings.LambdaFor(layerCount), settings.Threshold.ToString(), settings.Targets.MaxSteps,
            settings.Targets.RelativeLearningRate, settings.ContextPrefixes, settings.QuestionKeyWeight, corpus.Hash())
        {
            ContinuationWeight = settings.Targets.ContinuationWeight,
            ContinuationKeyWeight = settings.ContinuationKeyWeight,
            ResidualPreservationWeight = settings.ResidualPreservationWeight,
            GeneralProbes = settings.GeneralProbes,
        };
}

/// <summary>Share of parameters the edit changed (edited down_proj matrices + [UNL] rows).</summary>
public sealed record ParameterShareInfo(long EditedParameters, long TotalParameters, double Share);

/// <summary>edit.json of an edit record.</summary>
public sealed record EditRecordInfo(
    string ParentFingerprint,
    string ResultFingerprint,
    int UnlTokenId,
    DateTimeOffset CreatedAt,
    EditConfiguration Configuration,
    IReadOnlyList<string> ForgetQuestions,
    EditDiagnostics Diagnostics,
    StageOneReport StageOne,
    IReadOnlyDictionary<string, double> StageSeconds,
    ParameterShareInfo ParameterShare);
