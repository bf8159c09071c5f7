using Lethe.Portal.Data;
using Lethe.Portal.Web.Components;
using Lethe.Portal.Web.Identity;
using Microsoft.Extensions.FileProviders;

namespace Lethe.Portal.Web.Composition;

/// <summary>Start-up and the HTTP pipeline of the portal.</summary>
public static class PortalWebApplicationExtensions
{
    /// <summary>Request path under which the repository's wwwroot-assets folder (branding, CSS) is served.</summary>
    public const string BrandingPath = "/brand";

    /// <summary>Creates the data directory, applies migrations, ensures roles and seeds the demo users (demo mode).</summary>
    public static async Task InitialisePortalDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PortalDatabaseInitialiser>().InitialiseAsync(app.Lifetime.ApplicationStopping);
    }

    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets")),
            RequestPath = BrandingPath,
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapPortalHealth();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        return app;
    }
}
