namespace Lethe.Portal.Domain.Security;

/// <summary>
/// One area of the portal: its navigation entry, the policy that guards its pages, and the roles that policy admits.
/// </summary>
/// <param name="Key">Stable identifier ("requests"), also used by the UI to pick an icon.</param>
/// <param name="Title">Navigation label.</param>
/// <param name="Path">Base-relative path of the area's start page ("requests").</param>
/// <param name="Policy">Authorization policy name guarding every page of the area.</param>
/// <param name="Description">One sentence saying what the area is for.</param>
/// <param name="Roles">Roles admitted by <paramref name="Policy"/>; holding any one is enough.</param>
public sealed record PortalArea(
    string Key, string Title, string Path, string Policy, string Description, IReadOnlyList<string> Roles)
{
    /// <summary>True when a user holding <paramref name="userRoles"/> may open this area.</summary>
    public bool IsOpenTo(IEnumerable<string> userRoles) => userRoles.Any(role => Roles.Contains(role, StringComparer.Ordinal));
}
