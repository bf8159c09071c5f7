using Lethe.Portal.Domain.Work;
using Lethe.Portal.Web.Composition;

namespace Lethe.Portal.Web.Work;

/// <summary>Collects the items of each home-page queue from every registered <see cref="IWorkQueueSource"/>.</summary>
public sealed class WorkInbox(ScopedOperations operations)
{
    /// <summary>Items per queue key for the given home sections; queues nobody fills yet come back empty.</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<WorkItem>>> LoadAsync(
        IEnumerable<RoleHome> homes, WorkViewer viewer, CancellationToken cancellationToken) =>
        operations.RunAsync<IEnumerable<IWorkQueueSource>, IReadOnlyDictionary<string, IReadOnlyList<WorkItem>>>(
            async sources =>
            {
                var sourceList = sources.ToList();
                var result = new Dictionary<string, IReadOnlyList<WorkItem>>();
                foreach (var queue in homes.SelectMany(home => home.Queues))
                {
                    var items = new List<WorkItem>();
                    foreach (var source in sourceList.Where(source => source.QueueKeys.Contains(queue.Key)))
                    {
                        items.AddRange(await source.GetItemsAsync(queue.Key, viewer, cancellationToken));
                    }
                    result[queue.Key] = items;
                }
                return result;
            });
}
