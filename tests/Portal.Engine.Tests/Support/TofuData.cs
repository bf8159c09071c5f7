namespace Lethe.Engine.Tests.Support;

/// <summary>Finds the TOFU benchmark folder: LETHE_TOFU_DIR, else ../shared/tofu above the repository.</summary>
public static class TofuData
{
    public static string? Directory { get; } = Locate();

    public static string Require() =>
        Directory ?? throw new InvalidOperationException(
            "TOFU data not found: set LETHE_TOFU_DIR or place it at ../shared/tofu beside the repository.");

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("LETHE_TOFU_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnv) && System.IO.Directory.Exists(fromEnv))
        {
            return fromEnv;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir?.Parent is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                var besideRepo = Path.Combine(dir.Parent.FullName, "shared", "tofu");
                return System.IO.Directory.Exists(besideRepo) ? besideRepo : null;
            }
        }
        return null;
    }
}

/// <summary>
/// A fact that needs the TOFU data. Outside CI it is skipped with a clear message when the data is absent;
/// in CI (CI=true) it always runs, so a missing folder fails loudly instead of passing silently.
/// </summary>
public sealed class TofuFactAttribute : FactAttribute
{
    public TofuFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (TofuData.Directory is null && !inCi)
        {
            Skip = "TOFU data not found (set LETHE_TOFU_DIR or provide ../shared/tofu); skipped outside CI.";
        }
    }
}
