using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Lethe.Portal.Data.Configuration;

/// <summary>
/// Loads the repository's shared <c>appsettings.json</c> (linked into every application's output folder) and its
/// environment-specific override, beneath environment variables and command-line arguments.
/// </summary>
public static class SharedConfiguration
{
    public const string FileName = "appsettings.json";

    /// <summary>Adds the shared settings files from the application's base directory as the lowest-priority sources.</summary>
    public static IHostApplicationBuilder AddPortalSharedConfiguration(this IHostApplicationBuilder builder)
    {
        var directory = AppContext.BaseDirectory;
        var environmentFile = $"appsettings.{builder.Environment.EnvironmentName}.json";
        var sources = builder.Configuration.Sources;
        // Insert at the front, in order, so everything the host added (environment variables, command line) wins.
        // The builder's ConfigurationManager reloads itself when its source list changes.
        sources.Insert(0, JsonSource(directory, FileName));
        sources.Insert(1, JsonSource(directory, environmentFile));
        return builder;
    }

    private static IConfigurationSource JsonSource(string directory, string file)
    {
        var source = new JsonConfigurationSource
        {
            Path = file,
            Optional = true,
            ReloadOnChange = false,
        };
        source.FileProvider = new PhysicalFileProvider(directory);
        return source;
    }
}
