using Lethe.Portal.Data;
using Lethe.Portal.Web.IntegrationTests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Lethe.Portal.Web.IntegrationTests.Data;

public sealed class MigrationTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "lethe-migrations-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Migrations_create_the_identity_schema_on_an_empty_database_file()
    {
        Directory.CreateDirectory(_dataDirectory);
        await using var provider = DataServices.Build(_dataDirectory);
        await using var scope = provider.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.NotEmpty(await database.Database.GetPendingMigrationsAsync());

        await database.Database.MigrateAsync();

        Assert.Empty(await database.Database.GetPendingMigrationsAsync());
        Assert.False(database.Database.HasPendingModelChanges(), "The model has changes no migration captures; run dotnet ef migrations add.");
        var tables = await database.Database
            .SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'")
            .ToListAsync();
        Assert.Superset(
            new HashSet<string> { "AspNetUsers", "AspNetRoles", "AspNetUserRoles", "AspNetUserClaims", "AspNetUserLogins", "AspNetUserTokens", "__EFMigrationsHistory" },
            tables.ToHashSet());
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "lethe.db")));
    }

    [Fact]
    public async Task The_initialiser_creates_a_missing_data_directory_roles_and_no_demo_users_when_demo_is_off()
    {
        var nested = Path.Combine(_dataDirectory, "nested", "data");
        await using var provider = DataServices.Build(nested, new() { ["Portal:Demo:Enabled"] = "false" });
        await using var scope = provider.CreateAsyncScope();

        await scope.ServiceProvider.GetRequiredService<PortalDatabaseInitialiser>().InitialiseAsync();

        var database = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal(6, await database.Roles.CountAsync());
        Assert.Equal(0, await database.Users.CountAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
