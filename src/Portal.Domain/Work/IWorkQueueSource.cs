namespace Lethe.Portal.Domain.Work;

/// <summary>
/// Fills one or more work queues. Register implementations in DI; the home page asks every source that lists a
/// queue key in <see cref="QueueKeys"/> and concatenates their items. A queue without a source shows as empty.
/// </summary>
public interface IWorkQueueSource
{
    /// <summary>Keys (from <see cref="WorkQueueKeys"/>) this source fills.</summary>
    IReadOnlyCollection<string> QueueKeys { get; }

    /// <summary>The items of queue <paramref name="queueKey"/> that are waiting for <paramref name="viewer"/>.</summary>
    Task<IReadOnlyList<WorkItem>> GetItemsAsync(string queueKey, WorkViewer viewer, CancellationToken cancellationToken);
}
