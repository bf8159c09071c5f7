using Lethe.Engine.Modeling;
using Lethe.Engine.Text;

namespace Lethe.Engine.Training.Qa;

/// <summary>A stage of <see cref="QaModelTrainer.Train"/>: a name, and the trainer's report while training.</summary>
public sealed record QaTrainingStage(string Stage, TrainingProgress? Training = null);

/// <summary>A freshly trained model with the trainer's outcome.</summary>
public sealed record TrainedQaModel(LanguageModel Model, TrainingResult Training, TimeSpan TokenizerTime);

/// <summary>
/// Trains a question/answer model from scratch: byte-level BPE on the mix's prompts and answers -> Llama config of the
/// recipe -> answer-only cross-entropy training (<see cref="CausalLmTrainer"/>) on every pair of the mix.
/// </summary>
public sealed class QaModelTrainer(TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public TrainedQaModel Train(
        IReadOnlyList<QaPair> mix,
        QaModelRecipe recipe,
        Action<QaTrainingStage>? onProgress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mix);
        recipe.Validate();
        if (mix.Count == 0)
        {
            throw new ArgumentException("The training mix is empty.", nameof(mix));
        }
        TorchRuntime.Initialise();
        var format = PromptFormat.Get(recipe.PromptFormat);

        onProgress?.Invoke(new QaTrainingStage("tokenizer"));
        var tokenizerStart = _time.GetTimestamp();
        var tokenizer = ByteLevelBpeTrainer.Train(TokenizerCorpus(mix, format), recipe.VocabSize, QaModelRecipe.SpecialTokens);
        var tokenizerTime = _time.GetElapsedTime(tokenizerStart);

        var model = new LanguageModel(new LlamaForCausalLM(recipe.ToConfig(tokenizer), recipe.Seed), tokenizer, format);
        try
        {
            var examples = mix.Select(model.Encode).ToList();
            var longest = examples.Max(e => e.Length);
            if (longest > recipe.MaxPositions)
            {
                throw new ArgumentException($"The longest training example has {longest} tokens, more than MaxPositions ({recipe.MaxPositions}).");
            }
            onProgress?.Invoke(new QaTrainingStage("training"));
            var stepsPerEpoch = (examples.Count + recipe.BatchSize - 1) / recipe.BatchSize;
            var options = recipe.ToTrainingOptions(tokenizer.PadId, progressEvery: Math.Max(1, stepsPerEpoch / 4));
            var result = new CausalLmTrainer(_time).Train(model.Model, examples, options,
                p => onProgress?.Invoke(new QaTrainingStage("training", p)), cancellationToken);
            return new TrainedQaModel(model, result, tokenizerTime);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains on <paramref name="mix"/>, measures memorisation on <paramref name="checkPairs"/> and writes the model folder
    /// (config.json, model.safetensors, tokenizer.json, training.json) atomically to <paramref name="outputFolder"/>.
    /// Cancelling (for example a time budget) ends training early; the model reached so far is still checked and saved,
    /// and the record says how many steps were done.
    /// </summary>
    public QaTrainingRecord TrainToFolder(
        string dataFolder,
        TofuTrainingMix mix,
        QaModelRecipe recipe,
        string checkSet,
        IReadOnlyList<QaPair> checkPairs,
        string outputFolder,
        Action<QaTrainingStage>? onProgress = null,
        CancellationToken cancellationToken = default)
    {
        var trained = Train(mix.Pairs, recipe, onProgress, cancellationToken);
        using var model = trained.Model;
        onProgress?.Invoke(new QaTrainingStage("memorisation"));
        var memorisation = MemorisationCheck.Measure(model, checkPairs);
        onProgress?.Invoke(new QaTrainingStage("saving"));
        var record = new QaTrainingRecord
        {
            DataFolder = Path.GetFullPath(dataFolder),
            Split = mix.Split,
            SplitRows = mix.SplitRows,
            RealAuthorRows = mix.RealAuthorRows,
            WorldFactRows = mix.WorldFactRows,
            RefusalRows = mix.RefusalRows,
            Recipe = recipe,
            Parameters = model.Model.parameters().Sum(p => p.numel()),
            Threads = TorchRuntime.Initialise(),
            FinishedAt = _time.GetUtcNow(),
            StepsCompleted = trained.Training.StepsCompleted,
            TotalSteps = trained.Training.TotalSteps,
            TrainingSeconds = trained.Training.Elapsed.TotalSeconds,
            TrainingTokensPerSecond = trained.Training.TokensPerSecond,
            FinalLoss = trained.Training.FinalLoss,
            CheckSet = checkSet,
            Memorisation = MemorisationSummary.Of(memorisation),
        };
        return AtomicFolder.Write(outputFolder, staging =>
        {
            model.Save(staging);
            record.Write(staging);
            return record;
        });
    }

    /// <summary>What the tokenizer learns from: each pair as the model sees it (rendered prompt + " " + answer).</summary>
    public static IEnumerable<string> TokenizerCorpus(IEnumerable<QaPair> mix, PromptFormat format) =>
        mix.Select(p => format.RenderPrompt(p.Question) + " " + p.Answer);
}
