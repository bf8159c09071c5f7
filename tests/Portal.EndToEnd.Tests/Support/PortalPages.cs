using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lethe.Portal.EndToEnd.Tests.Support;

/// <summary>Steps shared by the end-to-end tests, written against what a user sees.</summary>
public static class PortalPages
{
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.Locator("#Input\\.Email").FillAsync(email);
        await page.Locator("#Input\\.Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>Waits until the interactive circuit is connected, so clicks reach component event handlers.</summary>
    public static Task WaitUntilInteractiveAsync(IPage page) =>
        Expect(page.Locator(".mud-layout[data-interactive=true]")).ToBeVisibleAsync();

    /// <summary>Saves a full-page screenshot under TestResults/screenshots at the repository root.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(RepositoryRoot(), "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
            {
                return directory.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }
}
