using Lethe.Portal.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Lethe.Portal.Web.IntegrationTests.Support;

/// <summary>The data layer alone (as the worker or CLI would compose it), pointed at a given data directory.</summary>
public static class DataServices
{
    public static ServiceProvider Build(string dataDirectory, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(settings ?? []) { ["Portal:DataDirectory"] = dataDirectory };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new TestEnvironment());
        services.AddPortalDataServices(configuration);
        return services.BuildServiceProvider(validateScopes: true);
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "Portal.Web.IntegrationTests";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
