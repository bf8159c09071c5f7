using Lethe.Engine.Evaluation.Logs;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Evaluation.Text;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>
/// Evaluates a model on TOFU-format sets as an <see cref="EvaluationSpec"/> says: for every set, greedy generations and
/// teacher-forced scores of the answer, paraphrased answer and perturbed answers; then every metric of METRICS.md via
/// <see cref="TofuScorer"/> (probability, ROUGE-L, truth ratio, ES, EM, refusal rates, Min-K% AUC, model utility, FE,
/// and forget quality / PrivLeak against the spec's reference log). Same model + data + spec → identical numbers.
/// </summary>
public sealed class EvaluationRunner(TimeProvider time)
{
    public EvaluationRunner() : this(TimeProvider.System)
    {
    }

    /// <summary>Loads the model folder, evaluates it, and disposes it.</summary>
    public EvaluationResult Run(string modelDirectory, string dataDirectory, EvaluationSpec spec,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        EvaluationData.RequireFolder(dataDirectory);
        TorchRuntime.Initialise();
        using var model = LanguageModel.Load(modelDirectory);
        return Run(model, dataDirectory, spec, progress, cancellationToken);
    }

    public EvaluationResult Run(LanguageModel model, string dataDirectory, EvaluationSpec spec,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        spec.Validate();
        TorchRuntime.Initialise();
        var started = time.GetTimestamp();
        var sets = EvaluationData.LoadSets(dataDirectory, spec);
        var scorer = new TofuScorer(new RougeScorer(), EvaluationData.LoadRefusals(dataDirectory, spec));
        var reference = spec.Reference is { } referencePath ? EvaluationLog.LoadReference(referencePath) : null;
        var evaluated = spec.PromptFormat is { } formatName
            ? new LanguageModel(model.Model, model.Tokenizer, Lethe.Engine.Text.PromptFormat.Get(formatName))
            : model;

        var queries = sets.Select(set => new SetQueries(set)).ToList();
        var tracker = new ProgressTracker(progress, queries.Sum(q => (q.Generates ? q.Questions.Count : 0) + q.Pairs.Count));
        var calls = new ModelCalls(evaluated, spec, time, cancellationToken);
        var scores = new List<EvaluationSetScores>(sets.Count);
        foreach (var (set, query) in sets.Zip(queries))
        {
            var generations = query.Generates
                ? calls.Generate(query.Questions, tracker.For(set.Name, EvaluationPhase.Generating, query.Questions.Count))
                : null;
            var answerScores = calls.Score(query.Pairs, tracker.For(set.Name, EvaluationPhase.Scoring, query.Pairs.Count));
            scores.Add(query.Assemble(answerScores, generations, evaluated.Format.RenderPrompt));
        }
        var summary = scorer.Score(scores, reference);
        var timing = new EvaluationTiming(time.GetElapsedTime(started), calls.GenerationTime, calls.ScoringTime,
            sets.Sum(s => s.Items.Count), calls.GeneratedSequences, calls.GeneratedTokens, calls.ScoredSequences, calls.ScoredTokens);
        return new EvaluationResult(spec, evaluated.Format.Name, scores, summary, timing);
    }

    /// <summary>Turns per-phase completion counts into <see cref="EvaluationProgress"/> reports with run-wide totals.</summary>
    private sealed class ProgressTracker(IProgress<EvaluationProgress>? progress, int total)
    {
        private int _before;

        public Action<int> For(string set, EvaluationPhase phase, int setTotal)
        {
            var before = _before;
            _before += setTotal;
            progress?.Report(new EvaluationProgress(set, phase, 0, setTotal, before, total));
            return done => progress?.Report(new EvaluationProgress(set, phase, done, setTotal, before + done, total));
        }
    }
}
