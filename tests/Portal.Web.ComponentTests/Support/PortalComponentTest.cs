using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Lethe.Portal.Web.ComponentTests.Support;

/// <summary>
/// Base for bUnit tests of portal components: MudBlazor services, loose JS interop, fake authorization.
/// The context is held in a field and disposed asynchronously (MudBlazor services are IAsyncDisposable only).
/// </summary>
public abstract class PortalComponentTest : IAsyncLifetime
{
    protected PortalComponentTest()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Authorization = Context.AddAuthorization();
    }

    protected BunitContext Context { get; } = new();

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Signs in a fake user holding <paramref name="roles"/>.</summary>
    protected void SignInWithRoles(params string[] roles)
    {
        Authorization.SetAuthorized("tester@tests.local");
        Authorization.SetRoles(roles);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Context.DisposeAsync();
}
