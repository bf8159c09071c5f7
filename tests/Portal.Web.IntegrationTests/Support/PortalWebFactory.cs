using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Lethe.Portal.Web.IntegrationTests.Support;

/// <summary>
/// The real portal on a TestServer, with its own SQLite file in a fresh temporary data directory (deleted on dispose).
/// Lockout after 3 failed sign-ins keeps the lockout tests short.
/// </summary>
public class PortalWebFactory : WebApplicationFactory<Program>
{
    public const int MaxFailedSignIns = 3;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "lethe-tests-" + Guid.NewGuid().ToString("N"));

    protected virtual string EnvironmentName => "Development";

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:DataDirectory"] = DataDirectory,
        ["Portal:Security:MaxFailedSignIns"] = MaxFailedSignIns.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Keeps the suites fast: no demo model training (DemoModelBuildTests switches it on).
        ["Lethe:Demo:BuildModel"] = "false",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>Production environment with no demo setting: demo mode must be off.</summary>
public sealed class ProductionPortalWebFactory : PortalWebFactory
{
    protected override string EnvironmentName => "Production";
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalWebFactory>
{
    public const string Name = "portal";
}
