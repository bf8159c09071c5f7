using Lethe.Portal.Domain.Security;

namespace Lethe.Portal.Domain.Work;

/// <summary>What a role's home section shows: a heading, one sentence, and the queues waiting for that role.</summary>
public sealed record RoleHome(string Role, string Title, string Summary, IReadOnlyList<WorkQueue> Queues);

/// <summary>The home page sections, one per role; a user holding several roles sees several sections.</summary>
public static class RoleHomes
{
    public static IReadOnlyList<RoleHome> All { get; } =
    [
        new(PortalRoles.Requester, "Your requests", "Requests you are preparing and requests on their way.",
        [
            new(WorkQueueKeys.MyDrafts, "Drafts and requests sent back for changes", "No drafts - nothing to finish."),
            new(WorkQueueKeys.MyOpenRequests, "Your requests in progress", "You have no open requests."),
        ]),
        new(PortalRoles.LegalApprover, "Legal review", "Requests and evidence that need a legal decision.",
        [
            new(WorkQueueKeys.AwaitingApproval, "Requests waiting for your approval", "No request is waiting for approval."),
            new(WorkQueueKeys.AwaitingEvidenceSignOff, "Evidence waiting for your sign-off", "No evidence is waiting for sign-off."),
        ]),
        new(PortalRoles.Engineer, "Execution", "Approved requests to run and evidence to review.",
        [
            new(WorkQueueKeys.ReadyToRun, "Approved requests ready to run", "Nothing is ready to run."),
            new(WorkQueueKeys.RunningJobs, "Running jobs", "No job is running."),
            new(WorkQueueKeys.EvidenceToReview, "Evidence to review", "No evidence to review."),
            new(WorkQueueKeys.DemoModel, "Demo model", "The demo model is not built in this installation."),
        ]),
        new(PortalRoles.Auditor, "Audit", "Signed-off work to inspect and the state of the audit chain.",
        [
            new(WorkQueueKeys.RecentlySignedOff, "Recently signed-off evidence", "Nothing was signed off recently."),
            new(WorkQueueKeys.AuditChainAlerts, "Audit chain alerts", "No audit chain alerts."),
        ]),
        new(PortalRoles.Manager, "Deadlines", "Requests that are late or due soon.",
        [
            new(WorkQueueKeys.OverdueRequests, "Overdue requests", "No request is overdue."),
            new(WorkQueueKeys.DueSoon, "Due within 7 days", "Nothing is due within 7 days."),
        ]),
        new(PortalRoles.Admin, "Administration", "Accounts that need attention.",
        [
            new(WorkQueueKeys.LockedAccounts, "Locked accounts", "No account is locked."),
        ]),
    ];

    /// <summary>The home sections for a user holding <paramref name="userRoles"/>, in role order.</summary>
    public static IReadOnlyList<RoleHome> For(IEnumerable<string> userRoles)
    {
        var roles = userRoles.ToHashSet(StringComparer.Ordinal);
        return All.Where(home => roles.Contains(home.Role)).ToList();
    }
}
