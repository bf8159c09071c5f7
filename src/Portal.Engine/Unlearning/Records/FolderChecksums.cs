using System.Security.Cryptography;
using System.Text.Json;

namespace Lethe.Engine.Unlearning.Records;

/// <summary>checksums.json: SHA-256 (hex) of every other file of a folder; verification names the first file that differs.</summary>
public static class FolderChecksums
{
    public const string FileName = "checksums.json";

    public static void Write(string folder)
    {
        var sums = Directory.GetFiles(folder).Select(Path.GetFileName).Where(name => name != FileName).Order(StringComparer.Ordinal)
            .ToDictionary(name => name!, name => Sha256Of(Path.Combine(folder, name!)));
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(sums, new JsonSerializerOptions { WriteIndented = true }));
    }

    public static void Verify(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing; the folder is not a complete edit record.");
        }
        var sums = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path}:1: empty checksum list.");
        foreach (var (name, expected) in sums)
        {
            var file = Path.Combine(folder, name);
            if (!File.Exists(file))
            {
                throw new InvalidDataException($"{path}: lists '{name}', which is missing.");
            }
            var actual = Sha256Of(file);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{file}: SHA-256 {actual} does not match {expected} in {FileName}; the record was modified or damaged.");
            }
        }
    }

    public static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}
