using Lethe.Portal.Domain.Security;

namespace Lethe.Portal.Data.Demo;

/// <summary>One demo user per role.</summary>
public sealed record DemoAccount(string Email, string DisplayName, string Role);

public static class DemoAccounts
{
    public static IReadOnlyList<DemoAccount> All { get; } =
    [
        new("requester@demo.local", "Riley Requester", PortalRoles.Requester),
        new("legal@demo.local", "Lena Legal", PortalRoles.LegalApprover),
        new("engineer@demo.local", "Evan Engineer", PortalRoles.Engineer),
        new("auditor@demo.local", "Aude Auditor", PortalRoles.Auditor),
        new("manager@demo.local", "Maya Manager", PortalRoles.Manager),
        new("admin@demo.local", "Adam Admin", PortalRoles.Admin),
    ];

    public static DemoAccount ForRole(string role) =>
        All.FirstOrDefault(account => account.Role == role)
        ?? throw new ArgumentException($"No demo account for role '{role}'.", nameof(role));
}
