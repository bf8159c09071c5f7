using Lethe.Engine.Modeling;
using Lethe.Engine.Modeling.Inference;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>
/// The model work of a run, batched by length and timed: greedy generation (special tokens stripped, trimmed; the
/// unlearning token's rules when the model has it, so an edited model is measured as it answers users)
/// and teacher-forced scoring of answer tokens + EOS. Accumulates the time and token counts of each kind.
/// </summary>
internal sealed class ModelCalls(LanguageModel model, EvaluationSpec spec, TimeProvider time, CancellationToken cancellationToken)
{
    public TimeSpan GenerationTime { get; private set; }
    public TimeSpan ScoringTime { get; private set; }
    public int GeneratedSequences { get; private set; }
    public long GeneratedTokens { get; private set; }
    public int ScoredSequences { get; private set; }
    public long ScoredTokens { get; private set; }

    public IReadOnlyList<string> Generate(IReadOnlyList<string> questions, Action<int> completed)
    {
        var started = time.GetTimestamp();
        var prompts = questions.Select(model.EncodePrompt).ToList();
        var stopIds = model.StopIds;
        var stopAfter = model.LateUnlearningTokenStop;
        var generated = LengthSortedBatches.Run(prompts, p => p.Length, spec.BatchSize,
            batch => GreedyGenerator.GenerateGreedy(model.Model, batch, spec.MaxNewTokens, stopIds, model.Tokenizer.PadId, stopAfter: stopAfter),
            completed, cancellationToken);
        GenerationTime += time.GetElapsedTime(started);
        GeneratedSequences += generated.Length;
        GeneratedTokens += generated.Sum(ids => (long)ids.Length);
        return generated.Select(model.DecodeAnswer).ToList();
    }

    public IReadOnlyList<AnswerScore> Score(IReadOnlyList<QaPair> pairs, Action<int> completed)
    {
        var started = time.GetTimestamp();
        var encoded = pairs.Select(model.Encode).ToList();
        var scores = LengthSortedBatches.Run(encoded, item => item.Length, spec.BatchSize,
            batch => TeacherForcedScorer.Score(model.Model, batch, model.Tokenizer.PadId, batch.Count),
            completed, cancellationToken);
        ScoringTime += time.GetElapsedTime(started);
        ScoredSequences += scores.Length;
        ScoredTokens += encoded.Sum(item => (long)item.Length);
        return scores;
    }
}
