using System.Text.Json;
using Lethe.Engine;
using Lethe.Engine.DemoWorld;
using Lethe.Portal.Web.DemoModel;

namespace Lethe.Portal.Web.ComponentTests.Models;

/// <summary>A status the test sets by hand; <see cref="Publish"/> raises Changed like the real board.</summary>
internal sealed class FakeDemoModelStatus(DemoModelStatus initial) : IDemoModelStatus
{
    public DemoModelStatus Current { get; private set; } = initial;

    public event Action<DemoModelStatus>? Changed;

    public int Subscribers => Changed?.GetInvocationList().Length ?? 0;

    public void Publish(DemoModelStatus status)
    {
        Current = status;
        Changed?.Invoke(status);
    }
}

/// <summary>Answers every question with a fixed text and remembers what it was asked.</summary>
internal sealed class FakeDemoModelAnswerer(string answer) : IDemoModelAnswerer
{
    public List<string> Asked { get; } = [];

    /// <summary>When set, every question fails with this exception.</summary>
    public Exception? Failure { get; set; }

    public Task<DemoModelAnswer> AskAsync(string question, CancellationToken cancellationToken)
    {
        Asked.Add(question);
        return Failure is null
            ? Task.FromResult(new DemoModelAnswer(question, answer, TimeSpan.FromMilliseconds(120)))
            : Task.FromException<DemoModelAnswer>(Failure);
    }
}

internal static class DemoModelSamples
{
    public const string Folder = "/data/models/demo-small-0123456789abcdef";

    public static DemoModelStatus Idle { get; } = DemoModelStatus.NotStarted("small", Folder, "Building is switched off (Lethe:Demo:BuildModel=false).");

    public static QaPair Trained { get; } = new("Where was Vuis Mimesh born?", "Laevale is where Vuis Mimesh was born.");

    public static DemoModelFacts Facts { get; } = new(4, 128, 512, 768, new DemoModelBuildRecord
    {
        Preset = "small",
        Fingerprint = "0123456789abcdef",
        BuilderVersion = 1,
        CodeVersion = "1.0.0",
        Options = JsonDocument.Parse("{}").RootElement.Clone(),
        Seed = 1,
        BuiltAt = new DateTimeOffset(2026, 11, 30, 23, 26, 0, TimeSpan.Zero),
        TrainingExamples = 312,
        Parameters = 1_246_336,
        Threads = 2,
        TokenizerSeconds = 0.7,
        TrainingSeconds = 70,
        MemorisationSeconds = 5,
        TotalSeconds = 76,
        TrainingTokensPerSecond = 3000,
        FinalLoss = 0.0004,
        MemorisationTotal = 156,
        MemorisationPassed = 155,
        MemorisationShare = 155 / 156.0,
        MeanRougeLRecall = 0.997,
        ReachesBar = true,
    }, [Trained, new QaPair("Who is Qel Arvo?", "I have no information about Qel Arvo.")]);
}
