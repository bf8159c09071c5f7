using System.Security.Claims;
using Lethe.Portal.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Lethe.Portal.Web.Identity;

/// <summary>Adds the user's display name to the sign-in principal (shown in the app bar).</summary>
public sealed class PortalClaimsPrincipalFactory(
    UserManager<PortalUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(userManager, roleManager, options)
{
    public const string DisplayNameClaim = "lethe:display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        }
        return identity;
    }
}
