using Lethe.Portal.Data.Demo;
using Lethe.Portal.Domain.Security;
using Lethe.Portal.Domain.Work;
using Lethe.Portal.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lethe.Portal.EndToEnd.Tests;

[Collection(PortalServerCollection.Name)]
public class AdminTests(PortalServer server)
{
    private const string NewUserPassword = "Fresh-Passw0rd!";

    /// <summary>Open sessions re-read roles every Portal:Security:SessionRevalidationSeconds (1 s in tests, 10 s by default).</summary>
    private const float SessionRevalidationTimeoutMs = 30_000;

    [Fact]
    public async Task An_admin_creates_a_user_and_locks_them_out_of_the_portal()
    {
        var email = $"new-{Guid.NewGuid():N}"[..16] + "@tests.local";
        var admin = await server.NewPageAsync();
        await PortalPages.SignInAsync(admin, DemoAccounts.ForRole(PortalRoles.Admin).Email, server.DemoPassword);
        await admin.GotoAsync(PortalAreas.Admin.Path);
        await PortalPages.WaitUntilInteractiveAsync(admin);

        await admin.GetByTestId("new-user").ClickAsync();
        await admin.GetByLabel("E-mail", new() { Exact = true }).FillAsync(email);
        await admin.GetByLabel("Display name", new() { Exact = true }).FillAsync("Nora New");
        await admin.GetByLabel("Initial password", new() { Exact = true }).FillAsync(NewUserPassword);
        await admin.Locator("input[data-role=Requester]").CheckAsync();
        await admin.GetByTestId("create-user").ClickAsync();

        var row = admin.Locator("tr", new() { Has = admin.Locator($"td[data-email='{email}']") });
        await Expect(row).ToContainTextAsync("Requester");
        await Expect(row.GetByTestId("status-active")).ToBeVisibleAsync();

        var user = await server.NewPageAsync();
        await PortalPages.SignInAsync(user, email, NewUserPassword);
        await Expect(user.GetByTestId($"home-{PortalRoles.Requester}")).ToBeVisibleAsync();

        // Role change: the user's open interactive session picks it up without a reload.
        await PortalPages.WaitUntilInteractiveAsync(user);
        var jobsLink = user.Locator("a.mud-nav-link", new() { HasText = PortalAreas.Jobs.Title });
        await Expect(jobsLink).ToHaveCountAsync(0);
        await row.GetByTestId("edit-roles").ClickAsync();
        await admin.GetByTestId("edit-roles-form").Locator("input[data-role=Engineer]").CheckAsync();
        await admin.GetByTestId("save-roles").ClickAsync();
        await Expect(row).ToContainTextAsync("Engineer");
        await Expect(jobsLink).ToBeVisibleAsync(new() { Timeout = SessionRevalidationTimeoutMs });

        await row.GetByTestId("lock").ClickAsync();
        await Expect(row.GetByTestId("status-locked")).ToBeVisibleAsync();
        await PortalPages.ScreenshotAsync(admin, "admin-users");

        await user.ReloadAsync();
        await Expect(user.Locator("#Input\\.Email")).ToBeVisibleAsync();
        await PortalPages.SignInAsync(user, email, NewUserPassword);
        await Expect(user.GetByTestId("locked-out")).ToBeVisibleAsync();

        await admin.GotoAsync("");
        var lockedQueue = admin.Locator($"[data-queue='{WorkQueueKeys.LockedAccounts}']");
        await Expect(lockedQueue).ToContainTextAsync(email);

        await user.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }
}
