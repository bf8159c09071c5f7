using Lethe.Portal.Domain.Work;

namespace Lethe.Portal.Data.Identity;

/// <summary>Fills the admin's "Locked accounts" home queue.</summary>
public sealed class LockedAccountsQueueSource(UserAdministration administration) : IWorkQueueSource
{
    public IReadOnlyCollection<string> QueueKeys { get; } = [WorkQueueKeys.LockedAccounts];

    public async Task<IReadOnlyList<WorkItem>> GetItemsAsync(
        string queueKey, WorkViewer viewer, CancellationToken cancellationToken)
    {
        var users = await administration.ListUsersAsync(cancellationToken);
        return users.Where(user => user.IsLockedOut)
            .Select(user => new WorkItem(user.Email, $"{user.DisplayName} - locked", "admin/users"))
            .ToList();
    }
}
