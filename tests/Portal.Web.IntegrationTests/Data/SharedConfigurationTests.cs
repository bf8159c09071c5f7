using Lethe.Portal.Web.IntegrationTests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Lethe.Portal.Web.IntegrationTests.Data;

[Collection(PortalCollection.Name)]
public class SharedConfigurationTests(PortalWebFactory factory)
{
    [Fact]
    public void The_root_appsettings_json_is_loaded_beside_the_app_and_test_settings_override_it()
    {
        var configuration = factory.Services.GetRequiredService<IConfiguration>();

        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        Assert.Equal("Warning", configuration["Logging:LogLevel:Microsoft.EntityFrameworkCore"]);
        Assert.Equal(factory.DataDirectory, configuration["Portal:DataDirectory"]);
    }
}
