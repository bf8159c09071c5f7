using Lethe.Portal.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Lethe.Portal.Web.Identity;

/// <summary>Account endpoints that are not pages. Sign-out is a POST (with antiforgery) so a link cannot sign anyone out.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AccountPaths.SignOut, async ([FromServices] SignInManager<PortalUser> signInManager) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~" + AccountPaths.SignIn);
        }).AllowAnonymous();
        return endpoints;
    }
}
