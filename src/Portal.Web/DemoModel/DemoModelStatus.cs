using Lethe.Engine;
using Lethe.Engine.DemoWorld;

namespace Lethe.Portal.Web.DemoModel;

public enum DemoModelState
{
    /// <summary>No build is running and no model is ready (starting up, demo mode off, or building switched off).</summary>
    NotStarted,
    Building,
    Ready,
    Failed,
}

/// <summary>Where a running build is: the engine's stage, and while training the share of steps done, the ETA and the loss.</summary>
public sealed record DemoModelBuildStep(string Stage, TimeSpan Elapsed, double? Percent = null, TimeSpan? Eta = null, double? Loss = null);

/// <summary>What a finished demo model folder says about itself: shape (config.json), build record (build.json), example questions.</summary>
public sealed record DemoModelFacts(
    int Layers,
    int HiddenSize,
    int IntermediateSize,
    int VocabSize,
    DemoModelBuildRecord Build,
    IReadOnlyList<QaPair> ExampleQuestions);

/// <summary>
/// The demo model as the portal sees it now. <see cref="Step"/> is set while Building, <see cref="Facts"/> when Ready,
/// <see cref="Error"/> when Failed; <see cref="Note"/> says why nothing is happening when NotStarted.
/// </summary>
public sealed record DemoModelStatus(
    DemoModelState State,
    string Preset,
    string Folder,
    string? Note = null,
    DemoModelBuildStep? Step = null,
    DemoModelFacts? Facts = null,
    string? Error = null)
{
    public static DemoModelStatus NotStarted(string preset, string folder, string note) => new(DemoModelState.NotStarted, preset, folder, note);

    public DemoModelStatus Building(DemoModelBuildStep step) => new(DemoModelState.Building, Preset, Folder, Step: step);

    public DemoModelStatus Ready(DemoModelFacts facts) => new(DemoModelState.Ready, Preset, Folder, Facts: facts);

    public DemoModelStatus Failed(string error) => new(DemoModelState.Failed, Preset, Folder, Error: error);
}
