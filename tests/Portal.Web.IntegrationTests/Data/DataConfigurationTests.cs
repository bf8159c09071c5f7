using Lethe.Portal.Data.Configuration;
using Lethe.Portal.Data.Health;
using Lethe.Portal.Web.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lethe.Portal.Web.IntegrationTests.Data;

public class DataConfigurationTests
{
    [Fact]
    public void A_relative_data_directory_resolves_against_the_content_root()
    {
        var options = new PortalDataOptions { DataDirectory = "App_Data", DatabaseFile = "x.db" };
        Assert.Equal(Path.Combine("/srv/lethe", "App_Data", "x.db"), options.ResolveDatabasePath("/srv/lethe"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sub/dir.db")]
    public void A_database_file_that_is_not_a_plain_file_name_is_rejected_naming_the_setting(string file)
    {
        var options = new PortalDataOptions { DatabaseFile = file };
        var error = Assert.Throws<InvalidOperationException>(() => options.ResolveDatabasePath("/srv"));
        Assert.Contains("Portal:DatabaseFile", error.Message);
    }

    [Fact]
    public void An_empty_data_directory_is_rejected_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PortalDataOptions { DataDirectory = " " }.ResolveDataDirectory("/srv"));
        Assert.Contains("Portal:DataDirectory", error.Message);
    }

    [Fact]
    public async Task Health_is_unhealthy_when_the_database_cannot_be_opened()
    {
        var missing = Path.Combine(Path.GetTempPath(), "lethe-missing-" + Guid.NewGuid().ToString("N"), "nope");
        await using var provider = DataServices.Build(missing);
        await using var scope = provider.CreateAsyncScope();
        var check = ActivatorUtilities.CreateInstance<DatabaseHealthCheck>(scope.ServiceProvider);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("Database unreachable", result.Description);
    }

    [Fact]
    public void Invalid_security_settings_fail_with_a_message_naming_the_section()
    {
        using var provider = DataServices.Build("/tmp/unused", new() { ["Portal:Security:MaxFailedSignIns"] = "0" });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PortalSecurityOptions>>().Value);
        Assert.Contains("Portal:Security", error.Message);
    }
}
