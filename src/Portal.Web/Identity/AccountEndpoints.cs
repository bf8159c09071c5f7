using Lethe.Portal.Data.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Lethe.Portal.Web.Identity;

/// <summary>Account endpoints that are not pages. Sign-out is a POST with an antiforgery token, so no other site can sign anyone out.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AccountPaths.SignOut, async (
            HttpContext context,
            [FromServices] IAntiforgery antiforgery,
            [FromServices] SignInManager<PortalUser> signInManager) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("Sign-out needs the form's antiforgery token.");
            }
            await signInManager.SignOutAsync();
            return Results.LocalRedirect("~" + AccountPaths.SignIn);
        }).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }
}
