using Lethe.Portal.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Lethe.Portal.Data;

/// <summary>The portal database: ASP.NET Core Identity tables (users, roles, claims) plus, later, the workflow tables.</summary>
public class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<PortalUser, IdentityRole, string>(options)
{
    /// <summary>Name of the assembly that holds the migrations (migrations/Portal.Migrations).</summary>
    public const string MigrationsAssemblyName = "Portal.Migrations";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<PortalUser>().Property(user => user.DisplayName).HasMaxLength(128);
    }
}
