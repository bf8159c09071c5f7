using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Unlearning.Decoding;
using Lethe.Engine.Unlearning.Diagnostics;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.NullSpace;
using Lethe.Engine.Unlearning.StageOne;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>A finished Stage II edit: diagnostics, W_new - W_old per edited layer ([d_model, d_ff]) and per-stage seconds.</summary>
public sealed record EditOutcome(EditDiagnostics Diagnostics, IReadOnlyDictionary<int, Tensor> WeightDeltas, IReadOnlyDictionary<string, double> StageSeconds)
{
    /// <summary>Greedy answers of the edited model to the sampled retained questions (what the next edit compares against); empty when the edit ran without its checks.</summary>
    public IReadOnlyList<string> RetainedAnswersAfter { get; init; } = [];

    /// <summary>Per edited request: whether the edited model's answer to its question starts with [UNL] (from the checks; empty without them).</summary>
    public IReadOnlyDictionary<EditRequest, bool> StartsWithUnl { get; init; } = new Dictionary<EditRequest, bool>();
}

/// <summary>
/// What an edit may reuse from before it: projectors of an earlier round of the same request (their owner disposes
/// them), the previous round's greedy answers to the sampled retained questions, and the lineage's preservation sums.
/// </summary>
public sealed record EditReuse(
    IDictionary<int, NullSpaceProjector>? Projectors = null, IReadOnlyList<string>? RetainedAnswersBefore = null, PreservationStatistics? Statistics = null);

/// <summary>
/// Stage II (AlphaEdit with target [UNL]) on a model that already carries the token:
/// 1. contexts and key positions per request; 2. null-space projector P_l per edited layer from the preservation corpus
/// (the lineage's own when the corpus is its base, <see cref="PreservationStatistics.BaseProjector"/>; else cached on disk
/// per model version, reused across the rounds of one request, and built from the lineage's
/// <see cref="PreservationStatistics"/> when given);
/// 3. the refusal rows' targets (<see cref="RefusalRows"/>: at [UNL] and each refusal token after it, teacher-forced
/// toward the lineage's refusal); one read of the unedited model (<see cref="EditProbe"/>) for h0, the forget keys and the
/// first layer's solve; target values z = h0 + delta at the last edited layer (toward [UNL] and, when
/// continuation_weight &gt; 0, the refusal after it); gate on key separability and convergence;
/// 4. lowest layer first: K = keys averaged over contexts (then the refusal rows' keys; K, H and Z of each kind of row
/// scaled by the square root of its weight), H = current outputs, R = (Z - H) / (N - i),
/// solve (P (K K^T + C_p + C_r + mu C0_null) + lambda I) X = P K R^T, W += X^T, where C_r holds the keys that read the
/// refusal after [UNL] on the forget prompts (<see cref="ContinuationKeys"/>) and C0_null the part of the preservation
/// covariance inside the null space (<see cref="NullSpaceProjector.Residual"/>, a soft penalty where P is hard);
/// 5. behaviour checks (<see cref="EditChecks.After"/>; rolled back when [UNL] fires on retained questions or changes
/// retained answers; <see cref="EditRounds"/> runs them once, after a request's last round, with <c>checkBehaviour</c> false);
/// 6. C_p += K K^T with the solve's own keys (no layer's edit changes that layer's keys, so they are the edited model's).
/// </summary>
public sealed class UniEraseEditor(TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public EditOutcome Edit(
        LanguageModel model, IReadOnlyList<EditRequest> requests, PreservationCorpus corpus, SequentialEditMemory memory,
        UniEraseSettings settings, RefusalDetector refusals, Action<string>? progress = null, string? refusal = null, EditReuse? reuse = null,
        bool checkBehaviour = true)
    {
        var projectorMemo = reuse?.Projectors;
        if (requests.Count == 0)
        {
            throw new ArgumentException("An edit needs at least one request.", nameof(requests));
        }
        var unl = UnlearningDecoder.UnlId(model) ?? throw new InvalidOperationException("The model has no [UNL] token; run Stage I first.");
        settings.Validate(model.Model.LayerCount);
        TorchRuntime.Initialise();
        var layers = settings.LayersFor(model.Model.LayerCount);
        var lastLayer = layers[^1];
        var seconds = new Dictionary<string, double>();
        var pad = model.Tokenizer.PadId;
        using var frozen = new FrozenParameters(model.Model);
        model.Model.eval();

        var clock = _time.GetTimestamp();
        var prefixes = RequestContexts.Prefixes(model, settings.ContextPrefixes, settings.PrefixTokens);
        var prepared = requests.Select(r => RequestContexts.Prepare(model, r, prefixes)).ToList();
        var prompts = prepared.Select(p => (IReadOnlyList<int>)p.Prompt).ToList();
        seconds["contexts"] = Lap(ref clock);

        Dictionary<int, NullSpaceProjector> projectors;
        if (projectorMemo is not null && layers.All(projectorMemo.ContainsKey))
        {
            projectors = layers.ToDictionary(layer => layer, layer => projectorMemo[layer]);
        }
        else
        {
            projectors = ProjectorsFor(model, corpus, layers, settings, reuse?.Statistics, progress);
            foreach (var (layer, projector) in projectorMemo is null ? [] : projectors)
            {
                projectorMemo![layer] = projector; // the memo's owner disposes them
            }
        }
        seconds["projectors"] = Lap(ref clock);

        var usesRefusal = !string.IsNullOrEmpty(refusal) && (settings.Targets.ContinuationWeight > 0 || settings.ContinuationKeyWeight > 0 || settings.RefusalRowTokens > 0);
        int[]? refusalIds = usesRefusal ? model.Format.EncodeAnswer(model.Tokenizer, refusal!) : null;
        var continuations = ContinuationKeys.Continuations(prompts, refusalIds);
        using var refusalRows = settings.RefusalRowTokens > 0
            ? RefusalRows.Compute(
                model, prompts, unl, continuations.Select(c => c.Take(settings.RefusalRowTokens).ToArray()).ToList(), lastLayer, settings.Targets,
                settings.RefusalRowsOnlyWhereNeeded)
            : null;
        if (refusalRows is not null)
        {
            progress?.Invoke(refusalRows.Summary());
            seconds["refusal_targets"] = Lap(ref clock);
        }

        // One read of the unedited model: h0 for the targets, the forget keys of the diagnostics and the first layer's solve.
        var probe = new EditProbe(prepared, refusalRows, pad);
        using var unedited = probe.Read(model.Model, layers, lastLayer);
        var targetComputation = new TargetComputation(model, unl, lastLayer, settings.Targets);
        var computed = settings.BatchedTargets && targetComputation.CanBatch(prepared)
            ? targetComputation.ComputeAll(prepared, unedited.RequestOutputs, continuations)
            : prepared.Select((request, index) => targetComputation.Compute(request, unedited.RequestOutputs[index], continuations[index])).ToList();
        var targetRows = computed.Select(c => c.Target).ToList();
        var targetReports = prepared.Zip(computed, (request, c) => new RequestTargetReport(
            request.Request.Id, request.Request.Question, c.Result.FinalLoss, c.Result.LossHistory.Count, c.Result.Converged, request.FellBack)).ToList();
        computed.ToList().ForEach(c => c.Result.Delta.Dispose());
        progress?.Invoke($"targets: {targetReports.Count(t => t.Converged)}/{targetReports.Count} converged, worst loss {targetReports.Max(t => t.FinalLoss):0.000}, steps {targetReports.Min(t => t.Steps)}-{targetReports.Max(t => t.Steps)} (mean {targetReports.Average(t => t.Steps):0.0})");
        using var targets = stack(targetRows);
        targetRows.ForEach(t => t.Dispose());
        seconds["targets"] = Lap(ref clock);

        var layerDiagnostics = KeyDiagnosticsFor(model, corpus, unedited.RequestKeys, layers, projectors, reuse?.Statistics);
        seconds["diagnostics"] = Lap(ref clock);
        var outcomes = targetReports.Select(t => new TargetOutcome(t.RequestId, t.FinalLoss, t.Converged)).ToList();
        var gate = EditGate.Evaluate(layerDiagnostics, outcomes, settings.Gate);
        if (!gate.Passed)
        {
            DisposeUnlessMemoised(projectors.Values, projectorMemo);
            throw new EditRejectedException(new EditDiagnostics(layerDiagnostics, [], targetReports, null, gate) { RefusalRows = refusalRows?.Report() });
        }

        var retainedBefore = checkBehaviour ? reuse?.RetainedAnswersBefore ?? EditChecks.RetainedAnswers(model, corpus) : null; // given by the lineage
        seconds["retained_before"] = Lap(ref clock);
        var originals = layers.ToDictionary(layer => layer, layer => model.Model.DownProjWeight(layer).detach().clone());
        var projectorReports = new List<LayerProjectorReport>();
        var editedKeys = new Dictionary<int, Tensor>(); // layer -> [n + m, d_ff]: no edit changes its own layer's keys, so these are C_p's
        for (var i = 0; i < layers.Count; i++)
        {
            using var scope = NewDisposeScope();
            using var reading = i == 0 ? null : probe.Read(model.Model, [layers[i]], lastLayer); // the layers below changed
            var (requestKeys, requestOutputs, rowKeys, rowOutputs) = reading ?? unedited;
            editedKeys[layers[i]] = cat([requestKeys[layers[i]], rowKeys[layers[i]]]).DetachFromDisposeScope();
            // Row weight w: keys and residuals scaled by sqrt(w) weigh the rows' squared errors by w in the least squares.
            double scale = Math.Sqrt(settings.RefusalRowWeight), unlScale = Math.Sqrt(settings.UnlRowWeight);
            var keys = cat([requestKeys[layers[i]] * unlScale, rowKeys[layers[i]] * scale]);
            var current = cat([requestOutputs * unlScale, rowOutputs * scale]);
            var rowTargets = refusalRows is null ? targets * unlScale : cat([targets * unlScale, refusalRows.Targets * scale]);
            var kept = KeptKeyTerm(model, memory, layers[i], projectors[layers[i]], prompts, unl, continuations, settings);
            var result = LayerEditStep.Apply(layers[i], i, layers.Count, model.Model.DownProjWeight(layers[i]), keys, rowTargets, current,
                projectors[layers[i]].Projector, kept, settings.LambdaFor(model.Model.LayerCount));
            layerDiagnostics[i] = layerDiagnostics[i] with { RelativeUpdateNorm = result.RelativeUpdateNorm };
            projectorReports.Add(ProjectorReports.From(layers[i], projectors[layers[i]], result.NormalEquationResidual));
            progress?.Invoke($"layer {layers[i]}: update {result.RelativeUpdateNorm:0.0000} x ||W||, normal-equation residual {result.NormalEquationResidual:0.0e0}");
        }
        DisposeUnlessMemoised(projectors.Values, projectorMemo);
        seconds["solve"] = Lap(ref clock);

        var finalGate = EditGate.Evaluate(layerDiagnostics, outcomes, settings.Gate);
        var check = checkBehaviour ? EditChecks.After(model, requests, corpus, refusals, retainedBefore!, refusal, settings) : null;
        seconds["checks"] = Lap(ref clock);
        finalGate = check?.Apply(finalGate) ?? finalGate;
        var diagnostics = new EditDiagnostics(layerDiagnostics, projectorReports, targetReports, check?.Behaviour, finalGate) { RefusalRows = refusalRows?.Report() };
        if (!finalGate.Passed)
        {
            Restore(model, originals);
            DisposeAll(editedKeys.Values);
            throw new EditRejectedException(diagnostics);
        }

        memory.RecordEdit(editedKeys);
        DisposeAll(editedKeys.Values);
        seconds["memory"] = Lap(ref clock);
        var deltas = layers.ToDictionary(layer => layer, layer => model.Model.DownProjWeight(layer).detach() - originals[layer]);
        DisposeAll(originals.Values);
        return new EditOutcome(diagnostics, deltas, seconds)
        {
            RetainedAnswersAfter = check?.RetainedAnswersAfter ?? [],
            StartsWithUnl = check?.StartsWithUnl ?? new Dictionary<EditRequest, bool>(),
        };
    }

    private static Dictionary<int, NullSpaceProjector> ProjectorsFor(
        LanguageModel model, PreservationCorpus corpus, IReadOnlyList<int> layers, UniEraseSettings settings, PreservationStatistics? statistics,
        Action<string>? progress)
    {
        var fromLineage = statistics is not null && statistics.Covers(layers) && statistics.IsBase(corpus);
        var projectors = fromLineage
            ? layers.ToDictionary(layer => layer, layer => statistics!.BaseProjector(layer, settings.QuestionKeyWeight, settings.Threshold))
            : BuildProjectors(model, corpus, layers, settings, statistics, progress);
        progress?.Invoke((fromLineage ? "null space (the lineage's, of its base corpus): " : "null space: ") +
            string.Join(", ", projectors.Select(p => $"layer {p.Key} rank {p.Value.KeptRank}/{p.Value.Dimension}")));
        return projectors;
    }

    private static Dictionary<int, NullSpaceProjector> BuildProjectors(
        LanguageModel model, PreservationCorpus corpus, IReadOnlyList<int> layers, UniEraseSettings settings, PreservationStatistics? statistics,
        Action<string>? progress)
    {
        Dictionary<int, Tensor>? covariances = null;
        Dictionary<int, Tensor> Covariances() =>
            covariances ??= PreservationKeys.Covariances(model, corpus, layers, settings.QuestionKeyWeight, statistics, progress);
        try
        {
            if (settings.ProjectorCacheFolder is not { } folder)
            {
                return LayerProjectors.Build(Covariances(), settings.Threshold);
            }
            var cache = new ProjectorCache(folder);
            var version = ModelFingerprint.Of(model.Model);
            var corpusHash = corpus.Hash() + $"-w{settings.QuestionKeyWeight:0.###}-unl{PreservationKeys.UnlContinuations}";
            return layers.ToDictionary(layer => layer, layer =>
                cache.GetOrBuild(new ProjectorCacheKey(version, layer, corpusHash, settings.Threshold), () => Covariances()[layer].clone()));
        }
        finally
        {
            DisposeAll(covariances?.Values ?? Enumerable.Empty<Tensor>());
        }
    }

    private static List<LayerKeyDiagnostics> KeyDiagnosticsFor(
        LanguageModel model, PreservationCorpus corpus, IReadOnlyDictionary<int, Tensor> forget, IReadOnlyList<int> layers,
        IReadOnlyDictionary<int, NullSpaceProjector> projectors, PreservationStatistics? statistics)
    {
        var stored = statistics?.RetainedPromptKeysFor(corpus, layers); // the lineage's, read once on its first model
        var retained = stored ?? PreservationKeys.RetainedPromptKeys(model, corpus, layers);
        var diagnostics = layers.Select(layer => KeyDiagnostics.ForLayer(layer, forget[layer], retained[layer], projectors[layer].Projector)).ToList();
        DisposeAll(stored is null ? retained.Values : []);
        return diagnostics;
    }

    private static void Restore(LanguageModel model, IReadOnlyDictionary<int, Tensor> originals)
    {
        using var _ = no_grad();
        foreach (var (layer, weight) in originals)
        {
            model.Model.DownProjWeight(layer).copy_(weight);
            weight.Dispose();
        }
    }

    /// <summary>C_p + C_r + mu C0_null of one layer ([d_ff, d_ff]), the terms present; null when none is.</summary>
    private static Tensor? KeptKeyTerm(
        LanguageModel model, SequentialEditMemory memory, int layer, NullSpaceProjector projector,
        IReadOnlyList<IReadOnlyList<int>> prompts, int unl, IReadOnlyList<int[]> continuations, UniEraseSettings settings)
    {
        Tensor?[] terms =
        [
            memory.KeyCount(layer) > 0 ? memory.For(layer) : null,
            ContinuationKeys.Covariance(model, prompts, unl, continuations, layer, settings.ContinuationKeyWeight),
            settings.ResidualPreservationWeight > 0 && projector.Residual is { } residual ? residual * settings.ResidualPreservationWeight : null,
        ];
        return terms.OfType<Tensor>().Aggregate((Tensor?)null, (sum, term) => sum is null ? term : sum + term);
    }

    private static void DisposeUnlessMemoised(IEnumerable<NullSpaceProjector> projectors, IDictionary<int, NullSpaceProjector>? memo)
    {
        if (memo is null)
        {
            DisposeAll(projectors);
        }
    }

    private static void DisposeAll<T>(IEnumerable<T> items) where T : IDisposable
    {
        foreach (var item in items)
        {
            item.Dispose();
        }
    }

    private double Lap(ref long clock)
    {
        var elapsed = _time.GetElapsedTime(clock).TotalSeconds;
        clock = _time.GetTimestamp();
        return elapsed;
    }
}
