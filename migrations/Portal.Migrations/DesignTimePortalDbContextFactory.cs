using Lethe.Portal.Data;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Lethe.Portal.Migrations;

/// <summary>
/// Used by <c>dotnet ef</c> (e.g. <c>dotnet ef migrations add Name --project migrations/Portal.Migrations</c>). Builds the
/// DbContext through the same registration as the applications, so design-time and run-time models are identical.
/// The database file goes to a scratch directory; pass <c>-- --data-dir PATH</c> to point it elsewhere.
/// </summary>
public sealed class DesignTimePortalDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var dataDirectory = ReadDataDirectory(args) ?? Path.Combine(Path.GetTempPath(), "lethe-design-time");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:DataDirectory"] = dataDirectory })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new DesignTimeEnvironment());
        services.AddPortalDataServices(configuration);
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<PortalDbContext>();
    }

    private static string? ReadDataDirectory(string[] args)
    {
        var index = Array.IndexOf(args, "--data-dir");
        return index >= 0 && index + 1 < args.Length ? Path.GetFullPath(args[index + 1]) : null;
    }

    private sealed class DesignTimeEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = PortalDbContext.MigrationsAssemblyName;
        public string ContentRootPath { get; set; } = Directory.GetCurrentDirectory();
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
