using Lethe.Portal.Data.Demo;
using Lethe.Portal.Domain.Security;
using Lethe.Portal.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lethe.Portal.EndToEnd.Tests;

[Collection(PortalServerCollection.Name)]
public class ModelsPageTests(PortalServer server)
{
    /// <summary>
    /// The engineer opens Models from the navigation and sees the demo model card. Against a portal whose demo model is
    /// Ready (e.g. LETHE_E2E_BASE_URL pointing at <c>dotnet run</c> after the first build), the test also clicks the first
    /// example question and expects the model's answer to equal the training answer. Saves TestResults/screenshots/models.png.
    /// </summary>
    [Fact]
    public async Task The_engineer_opens_the_models_page_and_asks_the_ready_demo_model()
    {
        var page = await server.NewPageAsync();
        await PortalPages.SignInAsync(page, DemoAccounts.ForRole(PortalRoles.Engineer).Email, server.DemoPassword);
        await PortalPages.WaitUntilInteractiveAsync(page);

        await page.Locator($"a.mud-nav-link[data-area={PortalAreas.Models.Key}]").ClickAsync();
        await Expect(page.GetByTestId("area-title")).ToHaveTextAsync(PortalAreas.Models.Title);
        var card = page.GetByTestId("demo-model-card");
        await Expect(card).ToBeVisibleAsync();

        if (await card.GetAttributeAsync("data-state") == "Ready")
        {
            await Expect(page.GetByTestId("demo-model-config")).ToContainTextAsync("Parameters");
            await page.GetByTestId("demo-model-examples").Locator(".mud-chip").First.ClickAsync();
            await Expect(page.GetByTestId("demo-model-trained-answer")).ToContainTextAsync("(identical)", new() { Timeout = 60_000 });
        }
        else
        {
            await Expect(page.GetByTestId("demo-model-state")).ToBeVisibleAsync();
        }
        await PortalPages.ScreenshotAsync(page, "models");
        await page.Context.CloseAsync();
    }
}
