using Lethe.Engine.DemoWorld;
using World = Lethe.Engine.DemoWorld.DemoWorld;

namespace Lethe.Engine.Tests.Support;

/// <summary>
/// The small demo model, built once per test run (and cached across runs) under
/// &lt;temp&gt;/lethe-test-cache/demo-small-&lt;fingerprint&gt;: a folder LanguageModel.Load reads, its world and build record.
/// Tests that need it join the collection <see cref="SmallDemoModelCollection.Name"/>.
/// </summary>
public sealed class SmallDemoModelFixture
{
    public SmallDemoModelFixture()
    {
        Preset = DemoModelPreset.Small;
        CacheDirectory = Path.Combine(Path.GetTempPath(), "lethe-test-cache");
        Folder = DemoModelBuilder.EnsureBuilt(Preset, CacheDirectory);
        World = DemoWorldGenerator.Generate(Preset.World);
        Record = DemoModelBuildRecord.TryRead(Folder)
            ?? throw new InvalidOperationException($"{Folder}: build.json is missing after the build");
    }

    public DemoModelPreset Preset { get; }

    public string CacheDirectory { get; }

    /// <summary>The model folder (config.json, model.safetensors, tokenizer.json, build.json).</summary>
    public string Folder { get; }

    /// <summary>The world's TOFU-format files (full.json, forget10.json, ...).</summary>
    public string WorldFolder => Path.Combine(Folder, DemoModelBuilder.WorldFolder);

    /// <summary>The world the model was trained on (regenerated from the same seed: identical).</summary>
    public World World { get; }

    public DemoModelBuildRecord Record { get; }

    /// <summary>A fresh copy of the model; the caller disposes it (and may edit it freely).</summary>
    public LanguageModel LoadModel() => LanguageModel.Load(Folder);
}

[CollectionDefinition(Name)]
public sealed class SmallDemoModelCollection : ICollectionFixture<SmallDemoModelFixture>
{
    public const string Name = "small-demo-model";
}
