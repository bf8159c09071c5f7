using Lethe.Portal.Data.Configuration;
using Lethe.Portal.Data.Demo;
using Lethe.Portal.Data.Identity;
using Lethe.Portal.Domain.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lethe.Portal.Data;

/// <summary>Start-up work on the database: create the data directory, apply migrations, ensure roles, seed the demo.</summary>
public sealed class PortalDatabaseInitialiser(
    PortalDbContext database,
    RoleManager<IdentityRole> roleManager,
    DemoUserSeeder demoSeeder,
    IOptions<PortalDataOptions> dataOptions,
    IOptions<DemoOptions> demoOptions,
    IHostEnvironment environment,
    ILogger<PortalDatabaseInitialiser> logger)
{
    public async Task InitialiseAsync(CancellationToken cancellationToken = default)
    {
        var databasePath = dataOptions.Value.ResolveDatabasePath(environment.ContentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        logger.LogInformation("Applying database migrations to {DatabasePath}", databasePath);
        await database.Database.MigrateAsync(cancellationToken);
        await EnsureRolesAsync();
        if (demoOptions.Value.IsEnabledIn(environment))
        {
            await demoSeeder.SeedAsync(cancellationToken);
        }
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in PortalRoles.All)
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                IdentityChecks.ThrowOnFailure(await roleManager.CreateAsync(new IdentityRole(role)), $"create role {role}");
            }
        }
    }
}
