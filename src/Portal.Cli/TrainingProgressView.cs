using System.Globalization;
using Lethe.Engine.Training;
using Spectre.Console;

namespace Lethe.Cli;

/// <summary>Shows a training run as Spectre.Console progress bars: one bar per stage, the training bar with loss, tokens/s and ETA.</summary>
public sealed class TrainingProgressView
{
    private readonly ProgressContext _context;
    private readonly Dictionary<string, ProgressTask> _stages = new(StringComparer.Ordinal);
    private ProgressTask? _current;

    private TrainingProgressView(ProgressContext context) => _context = context;

    /// <summary>Runs <paramref name="work"/> with a live progress display on <paramref name="console"/> and returns its result.</summary>
    public static T Run<T>(IAnsiConsole console, Func<TrainingProgressView, T> work) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var view = new TrainingProgressView(context);
                var result = work(view);
                view.Complete();
                return result;
            });

    /// <summary>Marks the previous stage done and starts <paramref name="stage"/> (no-op when it is already current).</summary>
    public void Stage(string stage)
    {
        if (_stages.ContainsKey(stage))
        {
            return;
        }
        Complete();
        _current = _context.AddTask(stage, maxValue: 1);
        _stages[stage] = _current;
    }

    /// <summary>Updates the training bar from a trainer report.</summary>
    public void Training(TrainingProgress progress)
    {
        Stage("training");
        _current!.MaxValue = progress.TotalSteps;
        _current.Value = progress.Step;
        _current.Description = string.Create(CultureInfo.InvariantCulture,
            $"training  epoch {progress.Epoch}  loss {progress.Loss:0.0000}  {progress.TokensPerSecond:0} tok/s");
    }

    /// <summary>Marks the current stage finished.</summary>
    public void Complete()
    {
        if (_current is not null)
        {
            _current.Value = _current.MaxValue;
            _current.StopTask();
        }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (unlike <see cref="Progress{T}"/>).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
