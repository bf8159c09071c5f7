using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Text;
using Lethe.Engine.Unlearning.Decoding;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>
/// Stage I questions: the ones the token trains on (forget questions plus varied other questions: other and unknown
/// people, general questions), questions kept apart to measure the token's ceiling, and ordinary QAs used as negatives.
/// </summary>
public sealed record StageOneData(IReadOnlyList<string> TrainQuestions, IReadOnlyList<string> HeldOutQuestions, IReadOnlyList<QaPair> Negatives);

/// <summary>
/// Learns the [UNL] rows with every other weight frozen. Loss = mean token cross-entropy over the supervised labels of
/// prompt + [UNL] + refusal (+ [UNL]) + EOS (see <see cref="StageOneExampleBuilder"/>); only the phase's row moves
/// (<see cref="RowAdam"/>). Reports the refusal rate of question + [UNL] on trained and held-out questions.
/// </summary>
public sealed class StageOneTrainer(TimeProvider? timeProvider = null)
{
    private const int EvaluationSample = 96;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public UnlearningToken Train(
        LanguageModel model, StageOneData data, IReadOnlyList<string> refusals, StageOneSettings settings, Action<string>? progress = null)
    {
        settings.Validate();
        if (data.TrainQuestions.Count == 0)
        {
            throw new ArgumentException("Stage I needs at least one training question.", nameof(data));
        }
        TorchRuntime.Initialise();
        var started = _time.GetTimestamp();
        var unl = UnlearningToken.AddTo(model);
        var targets = RefusalTargetSelection.MostLikely(model, refusals, data.TrainQuestions, settings.RefusalTargets);
        progress?.Invoke($"Stage I refusal targets: {string.Join(" | ", targets)}");
        var examples = new StageOneExamples(model, unl, new RefusalChooser(targets, settings.Seed));
        var radius = settings.InputRowRadius > 0 ? InputRowSphere.Radius(model, data.TrainQuestions, settings.InputRowRadius) : 0;
        if (radius > 0)
        {
            InputRowSphere.Project(model.Model.EmbeddingWeight, unl, radius);
            progress?.Invoke($"Stage I input row on a sphere of radius {radius:0.0} ({settings.InputRowRadius} x the median last-layer norm)");
        }
        var reports = new List<StageOnePhaseReport>();
        using (new FrozenParameters(model.Model))
        {
            foreach (var (phase, index) in settings.Phases.Select((phase, index) => (phase, index)))
            {
                if (phase.Row == TokenRow.Output && model.Model.Config.TieWordEmbeddings)
                {
                    progress?.Invoke($"Stage I phase {phase.Name}: skipped, the model ties its output head to the input embedding");
                    continue;
                }
                reports.Add(new StageOnePhaseRunner(model.Model, unl, settings, phase, index, radius).Run(examples.For(phase, data), progress));
            }
        }
        model.Model.eval();
        var detector = new RefusalDetector(refusals);
        var trained = RefusalRate(model, detector, data.TrainQuestions);
        var heldOut = RefusalRate(model, detector, data.HeldOutQuestions);
        var spontaneous = SpontaneousUnlRate(model, data.Negatives.Select(n => n.Question).ToList());
        var report = new StageOneReport(
            data.TrainQuestions.Count, data.HeldOutQuestions.Count, reports, trained, heldOut,
            _time.GetElapsedTime(started).TotalSeconds, // every check above included: Stage I's whole one-time cost
            model.Model.Config.TieWordEmbeddings)
        {
            SpontaneousUnlRate = spontaneous,
            RefusalTargets = targets,
        };
        progress?.Invoke($"Stage I done: refusal after [UNL] {report.TrainedRefusalRate:P0} trained, {report.HeldOutRefusalRate:P0} held out");
        return UnlearningToken.ReadFrom(model, unl, report);
    }

    /// <summary>Share of questions (up to a fixed sample) for which prompt + [UNL] greedily decodes to a refusal.</summary>
    public static double RefusalRate(LanguageModel model, RefusalDetector detector, IReadOnlyList<string> questions)
    {
        if (questions.Count == 0)
        {
            return double.NaN;
        }
        var answers = UnlearningDecoder.AnswerAfterToken(model, Sample(questions));
        return answers.Count(a => detector.IsRefusal(a.Text)) / (double)answers.Count;
    }

    /// <summary>Share of ordinary questions whose answer starts with [UNL] (the token firing without an edit).</summary>
    public static double SpontaneousUnlRate(LanguageModel model, IReadOnlyList<string> questions) =>
        questions.Count == 0 ? 0 : UnlearningDecoder.Answer(model, Sample(questions), maxNewTokens: 1).Count(a => a.StartedWithUnl) / (double)Math.Min(questions.Count, EvaluationSample);

    private static IReadOnlyList<string> Sample(IReadOnlyList<string> questions) => EvenlySpaced.Take(questions, EvaluationSample);
}

/// <summary>Builds a phase's examples: every question in the phase's formats, plus ordinary answers as negatives.</summary>
internal sealed class StageOneExamples(LanguageModel model, int unlId, RefusalChooser chooser)
{
    private static readonly PromptFormat Raw = PromptFormat.Get("raw");
    private readonly StageOneExampleBuilder _builder = new(unlId, model.Tokenizer.EosId);

    public List<StageOneExample> For(StageOnePhase phase, StageOneData data)
    {
        var formats = phase.Formats == StageOneFormats.Raw || model.Format.Name == Raw.Name ? [Raw] : new[] { Raw, model.Format };
        var examples = new List<StageOneExample>();
        foreach (var question in data.TrainQuestions)
        {
            var refusal = chooser.ChooseFor(question);
            foreach (var format in formats)
            {
                examples.Add(_builder.Build(Longs(format.EncodePrompt(model.Tokenizer, question)), Longs(format.EncodeAnswer(model.Tokenizer, refusal)), phase.SecondUnl));
            }
        }
        if (phase.WithNegatives)
        {
            examples.AddRange(data.Negatives.Select(Negative));
        }
        return examples;
    }

    private static long[] Longs(int[] ids) => ids.Select(id => (long)id).ToArray();

    /// <summary>prompt + answer + EOS with the answer and EOS supervised.</summary>
    private StageOneExample Negative(QaPair pair)
    {
        var prompt = model.EncodePrompt(pair.Question);
        long[] answer = [.. model.Format.EncodeAnswer(model.Tokenizer, pair.Answer).Select(id => (long)id), model.Tokenizer.EosId];
        return new StageOneExample(
            [.. prompt.Select(id => (long)id), .. answer],
            [.. Enumerable.Repeat(StageOneExample.IgnoreIndex, prompt.Length), .. answer]);
    }
}

/// <summary>Sets requires_grad = false on every parameter and restores the previous flags on dispose.</summary>
internal sealed class FrozenParameters : IDisposable
{
    private readonly List<(TorchSharp.Modules.Parameter Parameter, bool RequiresGrad)> _saved;

    public FrozenParameters(nn.Module module)
    {
        _saved = module.parameters().Select(p => (p, p.requires_grad)).ToList();
        foreach (var (parameter, _) in _saved)
        {
            parameter.requires_grad_(false);
        }
    }

    public void Dispose()
    {
        foreach (var (parameter, requiresGrad) in _saved)
        {
            parameter.requires_grad_(requiresGrad);
            parameter.grad?.Dispose();
        }
    }
}
