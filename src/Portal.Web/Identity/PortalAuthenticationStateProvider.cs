using System.Security.Claims;
using Lethe.Portal.Data.Configuration;
using Lethe.Portal.Data.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Lethe.Portal.Web.Identity;

/// <summary>
/// Authentication state of an interactive session. Every <see cref="PortalSecurityOptions.SessionRevalidationSeconds"/>
/// it re-reads the user: a changed security stamp (sign-out elsewhere, admin lock) or a lockout ends the session; changed
/// roles replace the session's principal, so the navigation and page policies follow admin changes without a reload.
/// </summary>
internal sealed class PortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<PortalSecurityOptions> security)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(security.Value.SessionRevalidationSeconds);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var signInManager = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();
        var user = await signInManager.ValidateSecurityStampAsync(authenticationState.User);
        if (user is null || await signInManager.UserManager.IsLockedOutAsync(user))
        {
            return false;
        }
        var current = await signInManager.CreateUserPrincipalAsync(user);
        if (!SameRoles(current, authenticationState.User))
        {
            SetAuthenticationState(Task.FromResult(new AuthenticationState(current)));
        }
        return true;
    }

    private static bool SameRoles(ClaimsPrincipal left, ClaimsPrincipal right) =>
        left.PortalRolesOf().SequenceEqual(right.PortalRolesOf());
}
