namespace Lethe.Portal.Domain.Security;

/// <summary>
/// The area -> roles map: the single source for authorization policies (registered from it at start-up) and for the
/// navigation drawer (which shows only the areas <see cref="VisibleTo"/> returns). The Auditor has read access to
/// every business area; user administration is for admins only.
/// </summary>
public static class PortalAreas
{
    public static PortalArea Requests { get; } = new(
        "requests", "Requests", "requests", PortalPolicies.Requests,
        "File unlearning requests and follow them through approval, execution and sign-off.",
        [PortalRoles.Requester, PortalRoles.Auditor]);

    public static PortalArea Approvals { get; } = new(
        "approvals", "Approvals", "approvals", PortalPolicies.Approvals,
        "Review scope and legal basis of submitted requests; approve, reject or send back.",
        [PortalRoles.LegalApprover, PortalRoles.Auditor]);

    public static PortalArea Jobs { get; } = new(
        "jobs", "Jobs & models", "jobs", PortalPolicies.Jobs,
        "Run approved requests, watch progress, promote or roll back model versions.",
        [PortalRoles.Engineer, PortalRoles.Auditor]);

    public static PortalArea Models { get; } = new(
        "models", "Models", "models", PortalPolicies.Models,
        "The models the portal knows: the embedded demo model's build, configuration and memorisation; ask it a question.",
        [PortalRoles.Engineer, PortalRoles.Auditor, PortalRoles.Manager, PortalRoles.Admin]);

    public static PortalArea Evidence { get; } = new(
        "evidence", "Evidence & audit", "evidence", PortalPolicies.Evidence,
        "Before/after evidence, signed reports and the audit chain.",
        [PortalRoles.LegalApprover, PortalRoles.Engineer, PortalRoles.Auditor]);

    public static PortalArea Dashboards { get; } = new(
        "dashboards", "Dashboards", "dashboards", PortalPolicies.Dashboards,
        "Volume, deadlines, time-to-erase and forgetting/utility trends.",
        [PortalRoles.Manager, PortalRoles.Auditor]);

    public static PortalArea Admin { get; } = new(
        "admin", "Users & roles", "admin/users", PortalPolicies.Admin,
        "Create users, assign roles, lock and unlock accounts.",
        [PortalRoles.Admin]);

    /// <summary>Every area in navigation order.</summary>
    public static IReadOnlyList<PortalArea> All { get; } = [Requests, Approvals, Jobs, Models, Evidence, Dashboards, Admin];

    /// <summary>The areas a user holding <paramref name="userRoles"/> may open, in navigation order.</summary>
    public static IReadOnlyList<PortalArea> VisibleTo(IEnumerable<string> userRoles)
    {
        var roles = userRoles.ToHashSet(StringComparer.Ordinal);
        return All.Where(area => area.IsOpenTo(roles)).ToList();
    }

    /// <summary>The area guarded by <paramref name="policy"/>; throws for an unknown policy name.</summary>
    public static PortalArea ForPolicy(string policy) =>
        All.FirstOrDefault(area => area.Policy == policy)
        ?? throw new ArgumentException($"Unknown policy '{policy}'.", nameof(policy));
}
