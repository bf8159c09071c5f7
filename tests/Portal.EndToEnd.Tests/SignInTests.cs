using Lethe.Portal.Data.Demo;
using Lethe.Portal.Domain.Security;
using Lethe.Portal.Domain.Work;
using Lethe.Portal.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lethe.Portal.EndToEnd.Tests;

[Collection(PortalServerCollection.Name)]
public class SignInTests(PortalServer server)
{
    public static TheoryData<string> Roles => new(PortalRoles.All);

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Each_demo_user_signs_in_and_sees_their_role_home_page(string role)
    {
        var account = DemoAccounts.ForRole(role);
        var page = await server.NewPageAsync();

        await PortalPages.SignInAsync(page, account.Email, server.DemoPassword);

        var home = RoleHomes.For([role]).Single();
        await Expect(page.GetByTestId($"home-{role}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"home-{role}").GetByRole(AriaRole.Heading, new() { Name = home.Title })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync(account.DisplayName);
        await Expect(page.Locator("a.mud-nav-link")).ToHaveCountAsync(1 + PortalAreas.VisibleTo([role]).Count);
        await PortalPages.WaitUntilInteractiveAsync(page);
        var screenshot = await PortalPages.ScreenshotAsync(page, $"home-{role}");
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"Screenshot {screenshot} looks empty.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_demo_account_on_the_sign_in_page_signs_in_with_one_click()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await Expect(page.GetByTestId("demo-password")).ToHaveTextAsync(server.DemoPassword);

        await page.GetByRole(AriaRole.Button, new() { Name = "legal@demo.local" }).ClickAsync();

        await Expect(page.GetByTestId($"home-{PortalRoles.LegalApprover}")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in_and_comes_back_to_the_page_afterwards()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("jobs");
        await Expect(page.Locator("#Input\\.Email")).ToBeVisibleAsync();
        Assert.Contains("ReturnUrl=%2Fjobs", page.Url);

        await page.Locator("#Input\\.Email").FillAsync(DemoAccounts.ForRole(PortalRoles.Engineer).Email);
        await page.Locator("#Input\\.Password").FillAsync(server.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Expect(page.GetByTestId("area-title")).ToHaveTextAsync(PortalAreas.Jobs.Title);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Navigation_opens_allowed_areas_and_sign_out_returns_to_sign_in()
    {
        var page = await server.NewPageAsync();
        await PortalPages.SignInAsync(page, DemoAccounts.ForRole(PortalRoles.Engineer).Email, server.DemoPassword);
        await PortalPages.WaitUntilInteractiveAsync(page);

        await page.Locator("a.mud-nav-link", new() { HasText = PortalAreas.Evidence.Title }).ClickAsync();
        await Expect(page.GetByTestId("area-title")).ToHaveTextAsync(PortalAreas.Evidence.Title);

        await page.GotoAsync("admin/users");
        await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();

        await page.GotoAsync("");
        await PortalPages.WaitUntilInteractiveAsync(page);
        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page.Locator("#Input\\.Email")).ToBeVisibleAsync();
        await page.GotoAsync("");
        await Expect(page.Locator("#Input\\.Email")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
