using Lethe.Portal.Data.Demo;
using Lethe.Portal.Web.Composition;
using Lethe.Portal.Web.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lethe.Portal.Web.IntegrationTests.Data;

[Collection(PortalCollection.Name)]
public class DemoModeTests(PortalWebFactory factory)
{
    [Fact]
    public async Task Demo_mode_is_the_default_outside_production_and_seeds_one_user_per_role()
    {
        var users = await PortalSession.AdministerAsync(factory, admin => admin.ListUsersAsync());
        foreach (var account in DemoAccounts.All)
        {
            Assert.Equal([account.Role], users.Single(user => user.Email == account.Email).Roles);
        }
    }

    [Fact]
    public void The_start_up_banner_lists_the_demo_sign_ins_and_password()
    {
        var banner = factory.Services.GetServices<IHostedService>().OfType<StartupBanner>().Single().Compose();
        Assert.Contains("Lethe portal is running.", banner);
        Assert.All(DemoAccounts.All, account => Assert.Contains(account.Email, banner));
        using var session = new PortalSession(factory);
        Assert.Contains(session.DemoPassword, banner);
    }

    [Fact]
    public async Task Production_without_demo_configuration_seeds_no_users_and_hides_demo_sign_ins()
    {
        await using var production = new ProductionPortalWebFactory();
        using var session = new PortalSession(production);

        var html = await session.Client.GetStringAsync("/Account/Login");
        var users = await PortalSession.AdministerAsync(production, admin => admin.ListUsersAsync());

        Assert.DoesNotContain("demo.local", html);
        Assert.Empty(users);
    }
}
