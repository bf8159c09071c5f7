using Lethe.Portal.Data.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace Lethe.Portal.EndToEnd.Tests.Support;

/// <summary>
/// One real portal on Kestrel (random port, fresh data directory, demo mode) and one headless Debian Chromium,
/// shared by every end-to-end test. Each test opens its own browser context (own cookies).
/// Set LETHE_E2E_BASE_URL (and LETHE_E2E_DEMO_PASSWORD if not the default) to drive an already running portal instead,
/// e.g. one started with <c>dotnet run --project src/Portal.Web</c>.
/// </summary>
public sealed class PortalServer : IAsyncLifetime
{
    /// <summary>Chromium launch options that work in containers without a GPU or sandbox (see docs/STACK.md).</summary>
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "lethe-e2e-" + Guid.NewGuid().ToString("N"));
    private KestrelPortalFactory? _factory;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = default!;

    public string DemoPassword =>
        _factory?.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Password
        ?? Environment.GetEnvironmentVariable("LETHE_E2E_DEMO_PASSWORD")
        ?? new DemoOptions().Password;

    public async Task InitializeAsync()
    {
        BaseUrl = (Environment.GetEnvironmentVariable("LETHE_E2E_BASE_URL") is { Length: > 0 } external
            ? external
            : StartPortal()).TrimEnd('/') + "/";

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    private string StartPortal()
    {
        _factory = new KestrelPortalFactory(_dataDirectory);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return address.Replace("[::]", "localhost", StringComparison.Ordinal);
    }

    /// <summary>A fresh browser context (no cookies) with one page, 1280x800, resolving relative URLs against the portal.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static string ChromiumPath =>
        Environment.GetEnvironmentVariable("LETHE_CHROMIUM") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : throw new InvalidOperationException(
            "Chromium not found at /usr/bin/chromium. Install it (apt-get install -y chromium, or run ./test.sh) or set LETHE_CHROMIUM.");

    private sealed class KestrelPortalFactory(string dataDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Portal:DataDirectory", dataDirectory);
            builder.UseSetting("Portal:Demo:Enabled", "true");
            builder.UseSetting("Portal:Security:SessionRevalidationSeconds", "1");
            builder.UseSetting("Lethe:Demo:BuildModel", "false");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalServerCollection : ICollectionFixture<PortalServer>
{
    public const string Name = "portal-server";
}
