using Lethe.Portal.Data.Configuration;
using Lethe.Portal.Data.Demo;
using Lethe.Portal.Data.Health;
using Lethe.Portal.Data.Identity;
using Lethe.Portal.Domain.Work;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lethe.Portal.Data;

/// <summary>Composition of the data layer: options, SQLite DbContext, Identity stores, health check, admin services.</summary>
public static class PortalDataServiceCollectionExtensions
{
    /// <summary>Loads the shared configuration and registers the data layer on a host (web app, worker, CLI).</summary>
    public static IHostApplicationBuilder AddPortalData(this IHostApplicationBuilder builder)
    {
        builder.AddPortalSharedConfiguration();
        builder.Services.AddPortalDataServices(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Registers the data layer. Options are read lazily, so configuration added after this call (e.g. by a test
    /// host) still applies. Needs an <see cref="IHostEnvironment"/> in the container to resolve relative paths.
    /// </summary>
    public static IServiceCollection AddPortalDataServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PortalDataOptions>().Bind(configuration.GetSection(PortalDataOptions.SectionName));
        services.AddOptions<PortalSecurityOptions>().Bind(configuration.GetSection(PortalSecurityOptions.SectionName))
            .Validate(o => o.MaxFailedSignIns > 0 && o.LockoutMinutes > 0 && o.SessionRevalidationSeconds > 0,
                "Portal:Security values must be positive numbers.");
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName));

        services.AddDbContext<PortalDbContext>((provider, options) =>
            options.UseSqlite(BuildConnectionString(provider),
                sqlite => sqlite.MigrationsAssembly(PortalDbContext.MigrationsAssemblyName)));

        services.AddIdentityCore<PortalUser>(ConfigureIdentityDefaults)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<IOptions<PortalSecurityOptions>>((identity, security) =>
        {
            identity.Lockout.MaxFailedAccessAttempts = security.Value.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.Value.LockoutMinutes);
        });

        // Keys that protect sign-in cookies live in the data directory, so sessions survive restarts.
        services.AddDataProtection().SetApplicationName("Lethe");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((keys, provider) =>
            keys.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(ResolveDataDirectory(provider), "keys")),
                provider.GetRequiredService<ILoggerFactory>()));

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddScoped<PortalDatabaseInitialiser>();
        services.AddScoped<DemoUserSeeder>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<IWorkQueueSource, LockedAccountsQueueSource>();
        return services;
    }

    /// <summary>Identity settings that also shape the database schema, so design-time and run-time models agree.</summary>
    internal static void ConfigureIdentityDefaults(IdentityOptions options)
    {
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 8;
        options.Lockout.AllowedForNewUsers = true;
        options.SignIn.RequireConfirmedAccount = false;
    }

    private static string BuildConnectionString(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<PortalDataOptions>>().Value;
        return new SqliteConnectionStringBuilder { DataSource = options.ResolveDatabasePath(ContentRoot(provider)) }.ToString();
    }

    private static string ResolveDataDirectory(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<PortalDataOptions>>().Value.ResolveDataDirectory(ContentRoot(provider));

    private static string ContentRoot(IServiceProvider provider) =>
        provider.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
}
