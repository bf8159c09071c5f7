namespace Lethe.Engine.Training.Qa;

/// <summary>
/// Writes a folder so that it appears complete or not at all: the content goes to a sibling staging folder, which
/// replaces the target with one rename when done; a failure deletes the staging folder and leaves the target as it was.
/// </summary>
public static class AtomicFolder
{
    public static T Write<T>(string target, Func<string, T> writeInto)
    {
        var fullPath = Path.GetFullPath(target);
        var staging = $"{fullPath.TrimEnd(Path.DirectorySeparatorChar)}.staging-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(staging);
            var result = writeInto(staging);
            if (Directory.Exists(fullPath))
            {
                Directory.Delete(fullPath, recursive: true);
            }
            Directory.Move(staging, fullPath);
            return result;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
