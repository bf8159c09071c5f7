using Lethe.Engine;

namespace Lethe.Portal.Web.DemoModel;

/// <summary>A greedy answer of the demo model and how long it took.</summary>
public sealed record DemoModelAnswer(string Question, string Answer, TimeSpan Took);

/// <summary>Asks the ready demo model a question.</summary>
public interface IDemoModelAnswerer
{
    /// <summary>The greedy answer (at most <see cref="DemoModelAnswerer.MaxNewTokens"/> new tokens).</summary>
    Task<DemoModelAnswer> AskAsync(string question, CancellationToken cancellationToken);
}

/// <summary>
/// Loads the demo model once it is Ready (on first use) and answers one question at a time, on a pool thread so the
/// circuit stays responsive; further questions wait their turn.
/// </summary>
public sealed class DemoModelAnswerer(IDemoModelStatus status, TimeProvider time) : IDemoModelAnswerer, IDisposable
{
    public const int MaxNewTokens = 64;
    public const int MaxQuestionLength = 500;

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private LanguageModel? _model;
    private string? _modelFolder;

    public async Task<DemoModelAnswer> AskAsync(string question, CancellationToken cancellationToken)
    {
        question = question?.Trim() ?? "";
        if (question.Length == 0)
        {
            throw new ArgumentException("Type a question first.", nameof(question));
        }
        if (question.Length > MaxQuestionLength)
        {
            throw new ArgumentException($"The question has {question.Length} characters; at most {MaxQuestionLength} are allowed.", nameof(question));
        }
        var current = status.Current;
        if (current.State != DemoModelState.Ready)
        {
            throw new InvalidOperationException($"The demo model is not ready ({DemoModelStatusText.StateName(current.State)}).");
        }

        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Answer(current.Folder, question), cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private DemoModelAnswer Answer(string folder, string question)
    {
        var started = time.GetTimestamp();
        if (_model is null || _modelFolder != folder)
        {
            _model?.Dispose();
            TorchRuntime.Initialise();
            _model = LanguageModel.Load(folder);
            _modelFolder = folder;
        }
        var answer = _model.Generate([question], MaxNewTokens, batchSize: 1)[0];
        return new DemoModelAnswer(question, answer, time.GetElapsedTime(started));
    }

    public void Dispose()
    {
        _model?.Dispose();
        _oneAtATime.Dispose();
    }
}
