using System.Text.Json;

namespace Lethe.Engine.DemoWorld;

/// <summary>Counts of a written world.</summary>
public sealed record ManifestCounts(
    int People, int Qas, int HoldoutPeople, int HoldoutQas, int UnknownPeople, int UnknownQas,
    int WorldFacts, int RealAuthors, int Refusals, long TrainingCharacters);

/// <summary>A person's place in full.json and the forget splits that contain them.</summary>
public sealed record ManifestPerson(string Name, int FirstRow, int QaCount, IReadOnlyList<string> ForgetSplits);

/// <summary>manifest.json: seed, counts, split membership, and the subject and fact kind of every row of every file.</summary>
public sealed record DemoWorldManifest(
    string Preset,
    int Seed,
    ManifestCounts Counts,
    IReadOnlyList<WorldSplit> Splits,
    IReadOnlyList<ManifestPerson> People,
    IReadOnlyList<string> HoldoutPeople,
    IReadOnlyList<string> UnknownPeople,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Subjects,
    IReadOnlyDictionary<string, IReadOnlyList<string>> FactKinds)
{
    public const string FileName = "manifest.json";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static DemoWorldManifest Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            return JsonSerializer.Deserialize<DemoWorldManifest>(File.ReadAllText(path), JsonOptions)
                ?? throw new FormatException($"{path}: the manifest is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not a demo world manifest (line {(e.LineNumber ?? 0) + 1}): {e.Message}", e);
        }
    }

    internal static DemoWorldManifest Describe(DemoWorld world, IReadOnlyDictionary<string, IReadOnlyList<WorldQa>> filesWithSubjects)
    {
        var firstRow = 0;
        var people = world.People.Select(p =>
        {
            var entry = new ManifestPerson(p.Name, firstRow, p.Facts.Count,
                world.Splits.Where(s => s.ForgetPeople.Contains(p.Name)).Select(s => s.ForgetName).ToList());
            firstRow += p.Facts.Count;
            return entry;
        }).ToList();
        var counts = new ManifestCounts(
            world.People.Count, world.Full.Count, world.HoldoutPeople.Count, world.HoldoutPeople.Sum(p => p.Facts.Count),
            world.UnknownPeopleQuestions.Select(q => q.Subject).Distinct().Count(), world.UnknownPeopleQuestions.Count,
            world.WorldFacts.Count, world.FamousPeopleFacts.Count, world.Refusals.Count, world.TrainingCharacters);
        var ordered = filesWithSubjects.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        return new DemoWorldManifest(
            world.Options.Preset, world.Options.Seed, counts, world.Splits, people,
            world.HoldoutPeople.Select(p => p.Name).ToList(),
            world.UnknownPeopleQuestions.Select(q => q.Subject).Distinct().ToList(),
            ordered.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value.Select(q => q.Subject).ToList()),
            ordered.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value.Select(q => q.FactKind).ToList()));
    }
}
