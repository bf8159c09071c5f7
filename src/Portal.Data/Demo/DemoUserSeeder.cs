using Lethe.Portal.Data.Configuration;
using Lethe.Portal.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lethe.Portal.Data.Demo;

/// <summary>Creates the demo users that do not exist yet. Existing accounts (and changes made to them) are kept.</summary>
public sealed class DemoUserSeeder(
    UserAdministration administration,
    UserManager<PortalUser> userManager,
    IOptions<DemoOptions> demoOptions,
    ILogger<DemoUserSeeder> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var account in DemoAccounts.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await userManager.FindByEmailAsync(account.Email) is not null)
            {
                continue;
            }
            var result = await administration.CreateUserAsync(
                new NewUser(account.Email, account.DisplayName, demoOptions.Value.Password, [account.Role]));
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    $"Could not seed demo user {account.Email} (check Portal:Demo:Password): {result.Error}");
            }
            logger.LogInformation("Seeded demo user {Email} ({Role})", account.Email, account.Role);
        }
    }
}
