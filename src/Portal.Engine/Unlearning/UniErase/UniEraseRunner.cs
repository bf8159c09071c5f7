using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.ParameterShare;
using Lethe.Engine.Unlearning.Records;
using Lethe.Engine.Unlearning.StageOne;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>What a request gives UniErase: the QAs to forget, what to preserve, extra Stage I questions, refusal sentences.</summary>
public sealed record EraseInputs(
    IReadOnlyList<ForgetItem> Forget, PreservationCorpus Corpus, IReadOnlyList<string> StageOneQuestions, IReadOnlyList<string> Refusals);

/// <summary>How to erase: the scenario, Stage II and Stage I settings, and whether to retrain a lineage's existing token.</summary>
public sealed record EraseOptions(EraseMode Mode, UniEraseSettings Edit, StageOneSettings StageOne, bool RetrainToken = false);

/// <summary>
/// What a lineage carries from request to request (each null on a new lineage): the [UNL] token, the sequential memory
/// C_p, the preservation key sums, the general probes as its first model answered them, the current model's
/// answers to the sampled retained questions (the next edit's "before") and the QAs its requests forgot so far (kept
/// out of the retained corpus, preserved as forgotten, and watched by later requests' rounds).
/// </summary>
public sealed record LineageState(
    UnlearningToken? Token = null, SequentialEditMemory? Memory = null, PreservationStatistics? Statistics = null,
    IReadOnlyList<QaPair>? GeneralProbes = null, SampledAnswers? RetainedAnswers = null, IReadOnlyList<QaPair>? Forgotten = null);

/// <summary>
/// The records of one erase job (one per edit; sequential mode makes several) and the lineage state after it;
/// <see cref="LineageSeconds"/> holds what this request paid for the lineage once (<c>general_probes</c>,
/// <c>preservation_statistics</c>, <c>lineage_projectors</c> (the null space of the lineage's base corpus, which its
/// first request uses), <c>retained_answers</c>; absent when reused).
/// </summary>
public sealed record EraseResult(
    IReadOnlyList<EditRecord> Records, UnlearningToken Token, SequentialEditMemory Memory, PreservationStatistics Statistics,
    IReadOnlyList<QaPair> GeneralProbes, SampledAnswers RetainedAnswers, IReadOnlyList<QaPair> Forgotten)
{
    public IReadOnlyDictionary<string, double> LineageSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>The lineage state after this request (what the next request on the edited model starts from).</summary>
    public LineageState Lineage => new(Token, Memory, Statistics, GeneralProbes, RetainedAnswers, Forgotten);
}

/// <summary>
/// Runs a UniErase request end to end on a loaded model: reuse the lineage's [UNL] token or train one (Stage I), reuse
/// the lineage's preservation sums or compute them on the model with the token (once per lineage, like Stage I), then
/// one edit (batch: <see cref="UniEraseSettings.BatchKey"/>; precise: prompt-last keys) or one edit per subject in order (sequential), each
/// producing an <see cref="EditRecord"/> over the model version before it.
/// </summary>
public sealed class UniEraseRunner(TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public EraseResult Run(
        LanguageModel model, LineageState lineage, EraseInputs inputs, EraseOptions options, Action<string>? progress = null)
    {
        if (inputs.Forget.Count == 0)
        {
            throw new ArgumentException("Nothing to forget: the forget list is empty.");
        }
        var layers = options.Edit.LayersFor(model.Model.LayerCount);
        inputs = inputs with
        {
            Corpus = inputs.Corpus with { EarlierForgotten = [.. inputs.Corpus.EarlierForgotten.Concat(lineage.Forgotten ?? []).DistinctBy(p => p.Question)] },
        };
        var forgetQuestions = inputs.Forget.Select(f => f.Question).Concat(inputs.Corpus.EarlierForgotten.Select(p => p.Question)).ToHashSet(StringComparer.Ordinal);
        var lineageSeconds = new Dictionary<string, double>();
        var clock = _time.GetTimestamp();
        // General probes answered by the lineage's first model (once); they also vary Stage I's questions (held-out refusal 84 % -> 90 %).
        var probes = lineage.GeneralProbes is { } answered && answered.Count == options.Edit.GeneralProbes
            ? answered
            : GeneralProbes.AnsweredBy(model, options.Edit.GeneralProbes);
        if (!ReferenceEquals(probes, lineage.GeneralProbes))
        {
            lineageSeconds["general_probes"] = _time.GetElapsedTime(clock).TotalSeconds;
        }
        var corpus = inputs.Corpus with
        {
            Retained = inputs.Corpus.Retained.Where(p => !forgetQuestions.Contains(p.Question)).ToList(),
            General = [.. inputs.Corpus.General, .. probes],
        };
        var token = lineage.Token is not null && !options.RetrainToken
            ? lineage.Token
            : TrainToken(model, inputs, corpus, options.StageOne with { EditedLayers = layers }, progress);
        var parent = ModelFingerprint.Of(model.Model); // the first record applies over the model as given (maybe without [UNL])
        var unl = token.Install(model);
        var statistics = Statistics(model, lineage, corpus, layers, options, lineageSeconds, progress);
        var sampled = EditChecks.SampledQuestions(corpus);
        var answers = RetainedAnswers(model, lineage, sampled, lineageSeconds);
        var memory = lineage.Memory ?? new SequentialEditMemory(model.Model.Config.IntermediateSize);
        var detector = new RefusalDetector(inputs.Refusals);
        var key = options.Mode == EraseMode.Precise ? KeyPosition.PromptLast : options.Edit.BatchKey;
        var editSettings = EditSettings(options);
        var records = new List<EditRecord>();
        // The lineage's earlier requests are watched too: one that no longer starts with [UNL] after a round joins the next.
        var earlier = EditRequest.ForQuestions(corpus.EarlierForgotten.Select(p => (p.Question, (string?)null, (string?)p.Answer)), key)
            .Select(r => r with { Id = $"earlier-{r.Id}" }).ToList();
        var earlierForgotten = corpus.EarlierForgotten.ToList();
        foreach (var (group, index) in Groups(inputs.Forget, options.Mode).Select((group, index) => (group, index)))
        {
            var requests = EditRequest.ForQuestions(group.Select(f => (f.Question, f.Subject, (string?)f.Answer)), key)
                .Select(r => r with { Id = $"e{index + 1}-{r.Id}" }).ToList();
            var groupCorpus = corpus with { EarlierForgotten = [.. earlierForgotten] };
            progress?.Invoke($"edit {records.Count + 1}: {requests.Count} request(s), key {key}, layers {string.Join(",", layers)}");
            var reuse = new EditReuse(RetainedAnswersBefore: answers, Statistics: statistics);
            foreach (var round in EditRounds.Run(
                model, requests, groupCorpus, memory, editSettings, detector, _time, progress, earlier, token.Report.RefusalTargets.FirstOrDefault(), reuse))
            {
                parent = Record(model, records, parent, unl, token, options, key, layers, groupCorpus, round);
                answers = round.Outcome.RetainedAnswersAfter;
            }
            earlier.AddRange(requests);
            earlierForgotten.AddRange(group.Select(f => new QaPair(f.Question, f.Answer)));
        }
        return new EraseResult(records, token, memory, statistics, probes, new SampledAnswers(sampled, answers), earlierForgotten)
        {
            LineageSeconds = lineageSeconds,
        };
    }

    /// <summary>The lineage's preservation sums, computed on the model with the token when it has none for these layers.</summary>
    private PreservationStatistics Statistics(
        LanguageModel model, LineageState lineage, PreservationCorpus corpus, IReadOnlyList<int> layers, EraseOptions options,
        Dictionary<string, double> lineageSeconds, Action<string>? progress)
    {
        if (lineage.Statistics is { } kept && kept.Covers(layers) && !options.RetrainToken)
        {
            return kept;
        }
        var clock = _time.GetTimestamp();
        var statistics = PreservationStatistics.Compute(model, corpus with { EarlierForgotten = [] }, layers);
        lineageSeconds["preservation_statistics"] = _time.GetElapsedTime(clock).TotalSeconds;
        progress?.Invoke($"preservation sums of the lineage: {statistics.Pairs.Count} QAs, layers {string.Join(",", layers)}, {lineageSeconds["preservation_statistics"]:0.0} s");
        if (statistics.IsBase(corpus))
        {
            clock = _time.GetTimestamp();
            var settings = EditSettings(options);
            statistics.BuildBaseProjectors(layers, settings.QuestionKeyWeight, settings.Threshold);
            lineageSeconds["lineage_projectors"] = _time.GetElapsedTime(clock).TotalSeconds;
        }
        return statistics;
    }

    /// <summary>
    /// The current model's answers to the sampled retained questions: the lineage's where it knows them (a precise
    /// request's sample starts with its own person's siblings, so consecutive samples differ in those), the rest decoded
    /// now; on a new lineage all decoded now (its first model's, once).
    /// </summary>
    private IReadOnlyList<string> RetainedAnswers(
        LanguageModel model, LineageState lineage, IReadOnlyList<string> sampled, Dictionary<string, double> lineageSeconds)
    {
        if (lineage.RetainedAnswers is { } known)
        {
            var answers = known.Questions.Zip(known.Answers).DistinctBy(p => p.First).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            var missing = sampled.Where(q => !answers.ContainsKey(q)).Distinct().ToList();
            foreach (var (question, answer) in missing.Zip(EditChecks.AnswersTo(model, missing)))
            {
                answers[question] = answer;
            }
            return sampled.Select(q => answers[q]).ToList();
        }
        var clock = _time.GetTimestamp();
        var first = EditChecks.AnswersTo(model, sampled);
        lineageSeconds["retained_answers"] = _time.GetElapsedTime(clock).TotalSeconds;
        return first;
    }

    private string Record(
        LanguageModel model, List<EditRecord> records, string parent, int unl, UnlearningToken token,
        EraseOptions options, KeyPosition key, IReadOnlyList<int> layers, PreservationCorpus corpus, EditRound round)
    {
        var outcome = round.Outcome;
        var share = ParameterShareCalculator.ForDownProjections(ShapeOf(model), layers, model.Model.Config.TieWordEmbeddings ? 1 : 2);
        var info = new EditRecordInfo(
            parent, round.ResultFingerprint, unl, _time.GetUtcNow(),
            EditConfiguration.From(options.Mode.ToString().ToLowerInvariant(), key, EditSettings(options), model.Model.LayerCount, layers, corpus),
            round.Requests.Select(r => r.Question).ToList(), outcome.Diagnostics, token.Report, outcome.StageSeconds,
            new ParameterShareInfo(share.EditedParameters, share.TotalParameters, share.Share));
        records.Add(new EditRecord(info, new UnlearningToken(token.InputRow, token.OutputRow, token.Report), outcome.WeightDeltas, round.MemoryAfter));
        return info.ResultFingerprint;
    }

    /// <summary>The Stage II settings a request's mode runs with (precise: <see cref="UniEraseSettings.ForPrecise"/>).</summary>
    private static UniEraseSettings EditSettings(EraseOptions options) =>
        options.Mode == EraseMode.Precise ? options.Edit.ForPrecise() : options.Edit;

    private UnlearningToken TrainToken(LanguageModel model, EraseInputs inputs, PreservationCorpus corpus, StageOneSettings settings, Action<string>? progress)
    {
        var all = inputs.StageOneQuestions.Concat(corpus.All.Select(p => p.Question)).Distinct().ToList();
        var others = EvenlySpaced.Take(all, 2 * settings.MaxOtherQuestions);
        var data = new StageOneData(
            inputs.Forget.Select(f => f.Question).Concat(others.Where((_, i) => i % 2 == 0)).ToList(),
            others.Where((_, i) => i % 2 == 1).ToList(),
            EvenlySpaced.Take(corpus.All.Where((_, i) => i % 2 == 0).ToList(), settings.MaxOtherQuestions));
        return new StageOneTrainer(_time).Train(model, data, inputs.Refusals, settings, progress);
    }

    /// <summary>Batch and precise: one group; sequential: one group per subject (items without a subject: one each), in order.</summary>
    private static IEnumerable<IReadOnlyList<ForgetItem>> Groups(IReadOnlyList<ForgetItem> forget, EraseMode mode) =>
        mode != EraseMode.Sequential
            ? [forget]
            : forget.Select((item, index) => (item, index)).GroupBy(p => p.item.Subject ?? $"#{p.index}")
                .Select(g => (IReadOnlyList<ForgetItem>)g.Select(p => p.item).ToList());

    private static LlamaShape ShapeOf(LanguageModel model)
    {
        var c = model.Model.Config;
        return new LlamaShape(c.VocabSize, c.HiddenSize, c.IntermediateSize, c.NumHiddenLayers, c.NumAttentionHeads, c.NumKeyValueHeads, c.TieWordEmbeddings);
    }
}
