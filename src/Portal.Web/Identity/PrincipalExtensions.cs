using System.Security.Claims;
using Lethe.Portal.Domain.Security;
using Lethe.Portal.Domain.Work;

namespace Lethe.Portal.Web.Identity;

/// <summary>Reads portal facts (roles, display name) from a signed-in principal.</summary>
public static class PrincipalExtensions
{
    /// <summary>The portal roles the principal holds, in role order.</summary>
    public static IReadOnlyList<string> PortalRolesOf(this ClaimsPrincipal principal) =>
        PortalRoles.All.Where(principal.IsInRole).ToList();

    public static string DisplayNameOf(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(PortalClaimsPrincipalFactory.DisplayNameClaim) ?? principal.Identity?.Name ?? "";

    public static WorkViewer ToWorkViewer(this ClaimsPrincipal principal) => new(
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
        principal.Identity?.Name ?? "",
        principal.PortalRolesOf().ToHashSet(StringComparer.Ordinal));
}
