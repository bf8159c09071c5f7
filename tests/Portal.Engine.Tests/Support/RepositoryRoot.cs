namespace Lethe.Engine.Tests.Support;

/// <summary>The folder holding Portal.sln above the test binaries (shipped configs and tools are read from there).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Portal.sln above {AppContext.BaseDirectory}.");
    }
}
