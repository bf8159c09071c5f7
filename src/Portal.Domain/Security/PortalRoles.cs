namespace Lethe.Portal.Domain.Security;

/// <summary>The six roles of the portal (see DESIGN.md, "Who uses it"). A user may hold several.</summary>
public static class PortalRoles
{
    public const string Requester = "Requester";
    public const string LegalApprover = "LegalApprover";
    public const string Engineer = "Engineer";
    public const string Auditor = "Auditor";
    public const string Manager = "Manager";
    public const string Admin = "Admin";

    /// <summary>Every role, in the order the portal lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Requester, LegalApprover, Engineer, Auditor, Manager, Admin];

    /// <summary>Human-readable label of a role ("LegalApprover" -> "Legal approver").</summary>
    public static string DisplayName(string role) => role switch
    {
        Requester => "Requester",
        LegalApprover => "Legal approver",
        Engineer => "Engineer",
        Auditor => "Auditor",
        Manager => "Manager",
        Admin => "Admin",
        _ => throw new ArgumentException($"Unknown role '{role}'. Known roles: {string.Join(", ", All)}.", nameof(role)),
    };

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
