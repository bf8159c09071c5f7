using System.Runtime.CompilerServices;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.StageOne;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// UniErase behind the common <see cref="IUnlearningMethod"/> contract (registry name "unierase"): the request's retain
/// QAs are the preservation corpus, its refusals the Stage I targets. A loaded model is a lineage: the [UNL] token and
/// the sequential covariance C_p and the preservation sums of earlier requests on the same <see cref="LanguageModel"/>
/// object are reused, so Stage I, the general probes' answers and the sums run once per lineage. Sequential requests are
/// one batch edit each (continuing C_p); precise requests use prompt-last keys. Stage times: "stage_one",
/// "general_probes", "preservation_statistics", "lineage_projectors" and "retained_answers" (only when this request made them) plus the
/// edit's stages, and
/// "other" for the rest of the wall time (the first-token checks between rounds, the records).
/// </summary>
public sealed class UniEraseMethod(TimeProvider? time = null) : IUnlearningMethod
{
    /// <summary>The state a loaded model's lineage carries to its next request.</summary>
    private sealed class Lineage
    {
        public LineageState State { get; set; } = new();
    }

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly ConditionalWeakTable<LanguageModel, Lineage> _lineages = new();

    public string Name => "unierase";

    public UniEraseSettings Settings { get; init; } = new();

    public StageOneSettings StageOne { get; init; } = new();

    public UnlearningOutcome Run(
        LanguageModel model, UnlearningRequest request, IProgress<UnlearningProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var lineage = _lineages.GetOrCreateValue(model);
        var trainsToken = lineage.State.Token is null;
        var inputs = new EraseInputs(
            request.Forget.Select(p => new ForgetItem(p.Question, p.Answer, request.Subject)).ToList(),
            new PreservationCorpus(request.Retain, []), [], request.Refusals);
        var mode = request.Mode == UnlearningMode.Precise ? EraseMode.Precise : EraseMode.Batch;
        var messages = 0;
        var result = new UniEraseRunner(_time).Run(model, lineage.State, inputs,
            new EraseOptions(mode, Settings, StageOne), message => progress?.Report(new UnlearningProgress(message, ++messages, 0, null)));
        if (!ReferenceEquals(lineage.State.Statistics, result.Statistics))
        {
            lineage.State.Statistics?.Dispose();
        }
        lineage.State = result.Lineage;

        var stageSeconds = result.Records.SelectMany(r => r.Info.StageSeconds)
            .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        if (trainsToken)
        {
            stageSeconds["stage_one"] = result.Token.Report.Seconds;
        }
        foreach (var (stage, seconds) in result.LineageSeconds)
        {
            stageSeconds[stage] = seconds;
        }
        stageSeconds["other"] = Math.Max(0, _time.GetElapsedTime(started).TotalSeconds - stageSeconds.Values.Sum());
        var share = result.Records[^1].Info.ParameterShare;
        var details = new Dictionary<string, object?>
        {
            ["edits"] = result.Records.Count,
            ["stage_one_trained"] = trainsToken,
            ["stage_one_held_out_refusal_rate"] = result.Token.Report.HeldOutRefusalRate,
            ["retained_changed_rate"] = result.Records[^1].Info.Diagnostics.Behaviour?.RetainedChangedRate,
            ["retained_similarity"] = result.Records[^1].Info.Diagnostics.Behaviour?.RetainedSimilarity,
        };
        return new UnlearningOutcome(Name, model, stageSeconds, share.EditedParameters, share.TotalParameters, details);
    }
}
