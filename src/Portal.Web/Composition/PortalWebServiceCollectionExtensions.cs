using Lethe.Portal.Data;
using Lethe.Portal.Data.Identity;
using Lethe.Portal.Domain.Security;
using Lethe.Portal.Web.DemoModel;
using Lethe.Portal.Web.Identity;
using Lethe.Portal.Web.Work;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor;
using MudBlazor.Services;

namespace Lethe.Portal.Web.Composition;

/// <summary>Composition of the web layer: Blazor + MudBlazor, cookie sign-in, per-area policies, start-up banner.</summary>
public static class PortalWebServiceCollectionExtensions
{
    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();
        services.AddScoped<IdentityRedirectManager>();
        services.AddIdentityCore<PortalUser>().AddSignInManager().AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(ConfigureSignInCookie);
        // Rebuild the principal (roles, lock state via security stamp) from the database on every request.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        services.AddAuthorization(AddAreaPolicies);

        services.AddScoped<WorkInbox>();
        services.AddScoped<ScopedOperations>();
        services.AddHostedService<StartupBanner>();
        services.AddPortalDemoModel(builder.Configuration);
        return builder;
    }

    private static void ConfigureSignInCookie(CookieAuthenticationOptions cookie)
    {
        cookie.LoginPath = AccountPaths.SignIn;
        cookie.LogoutPath = AccountPaths.SignOut;
        cookie.AccessDeniedPath = AccountPaths.AccessDenied;
        cookie.Cookie.Name = "Lethe.Auth";
        cookie.SlidingExpiration = true;
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
    }

    /// <summary>One policy per portal area, built from the area -> roles map; every other page needs a signed-in user.</summary>
    internal static void AddAreaPolicies(AuthorizationOptions options)
    {
        foreach (var area in PortalAreas.All)
        {
            options.AddPolicy(area.Policy, policy => policy.RequireAuthenticatedUser().RequireRole(area.Roles));
        }
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
