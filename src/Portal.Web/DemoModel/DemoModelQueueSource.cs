using Lethe.Portal.Domain.Work;

namespace Lethe.Portal.Web.DemoModel;

/// <summary>Fills the engineer's "Demo model" home queue with one notice while the model builds, is ready or failed.</summary>
internal sealed class DemoModelQueueSource(IDemoModelStatus status) : IWorkQueueSource
{
    public const string ModelsPage = "models";

    public IReadOnlyCollection<string> QueueKeys { get; } = [WorkQueueKeys.DemoModel];

    public Task<IReadOnlyList<WorkItem>> GetItemsAsync(string queueKey, WorkViewer viewer, CancellationToken cancellationToken)
    {
        var current = status.Current;
        IReadOnlyList<WorkItem> items = current.State == DemoModelState.NotStarted
            ? []
            : [new WorkItem($"Demo model ({current.Preset}): {DemoModelStatusText.StateName(current.State)}", Detail(current), ModelsPage)];
        return Task.FromResult(items);
    }

    private static string? Detail(DemoModelStatus current) => current switch
    {
        { Step: { } step } => DemoModelStatusText.Describe(step),
        { Facts: { } facts } => DemoModelStatusText.Memorisation(facts),
        { Error: { } error } => error,
        _ => null,
    };
}
