using Lethe.Engine.DemoWorld;

namespace Lethe.Portal.Web.DemoModel;

/// <summary>The embedded demo model. Bound from <c>Lethe:Demo</c>.</summary>
public sealed class DemoModelOptions
{
    public const string SectionName = "Lethe:Demo";

    /// <summary>Train the demo model in the background at start-up when it is not cached yet (demo mode only). Default true.</summary>
    public bool BuildModel { get; set; } = true;

    /// <summary>Which demo model: <c>full</c> (the product's) or <c>small</c> (the tests'). Default full.</summary>
    public string ModelPreset { get; set; } = "full";

    /// <summary>Cache folder of built demo models; relative paths resolve against the data directory. Default <c>models</c>.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>The preset named by <see cref="ModelPreset"/>; a clear configuration error for an unknown name.</summary>
    public DemoModelPreset ResolvePreset()
    {
        try
        {
            return DemoModelPreset.Get(ModelPreset ?? "");
        }
        catch (ArgumentException)
        {
            throw new InvalidOperationException(
                $"Configuration value '{SectionName}:{nameof(ModelPreset)}' is '{ModelPreset}'; expected 'full' or 'small'.");
        }
    }

    /// <summary>Absolute cache folder: <see cref="ModelDirectory"/> (default "models") resolved against <paramref name="dataDirectory"/>.</summary>
    public string ResolveModelDirectory(string dataDirectory) =>
        Path.GetFullPath(Path.Combine(dataDirectory, string.IsNullOrWhiteSpace(ModelDirectory) ? "models" : ModelDirectory));
}
