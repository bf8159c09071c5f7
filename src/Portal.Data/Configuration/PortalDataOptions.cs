namespace Lethe.Portal.Data.Configuration;

/// <summary>Where the portal keeps its files. Bound from the <c>Portal</c> configuration section.</summary>
public sealed class PortalDataOptions
{
    public const string SectionName = "Portal";

    /// <summary>Data directory; relative paths are resolved against the application's content root. Default <c>App_Data</c>.</summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>File name of the SQLite database inside <see cref="DataDirectory"/>. Default <c>lethe.db</c>.</summary>
    public string DatabaseFile { get; set; } = "lethe.db";

    /// <summary>Absolute data directory: <see cref="DataDirectory"/> resolved against <paramref name="contentRoot"/>.</summary>
    public string ResolveDataDirectory(string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new InvalidOperationException("Configuration value 'Portal:DataDirectory' must not be empty.");
        }
        return Path.GetFullPath(Path.Combine(contentRoot, DataDirectory));
    }

    /// <summary>Absolute path of the SQLite database file.</summary>
    public string ResolveDatabasePath(string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(DatabaseFile) || DatabaseFile.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new InvalidOperationException(
                $"Configuration value 'Portal:DatabaseFile' must be a plain file name, got '{DatabaseFile}'.");
        }
        return Path.Combine(ResolveDataDirectory(contentRoot), DatabaseFile);
    }
}
