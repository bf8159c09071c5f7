using System.Text.Json.Nodes;
using Lethe.Engine.DemoWorld;
using World = Lethe.Engine.DemoWorld.DemoWorld;

namespace Lethe.Engine.Tests.DemoWorld;

/// <summary>The small demo world, generated once and written to a temporary folder for the tests of a class.</summary>
public sealed class SmallWorldFixture : IDisposable
{
    public SmallWorldFixture()
    {
        World = DemoWorldGenerator.Generate(DemoWorldOptions.Small);
        Directory = System.IO.Directory.CreateTempSubdirectory("lethe-world-").FullName;
        World.WriteTo(Directory);
    }

    public World World { get; }

    public string Directory { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>The JSON objects of a JSON Lines file, read without our own loader.</summary>
    public IReadOnlyList<JsonObject> Objects(string file) =>
        File.ReadAllLines(PathOf(file)).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
