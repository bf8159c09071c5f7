using Lethe.Engine.Training.Qa;

namespace Lethe.Engine.Tests.Training;

public sealed class AtomicFolderTests
{
    [Fact]
    public void A_failed_write_leaves_the_old_folder_and_no_staging_folder()
    {
        var root = Directory.CreateTempSubdirectory("lethe-atomic-").FullName;
        try
        {
            var target = Path.Combine(root, "model");
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "old.txt"), "old");

            Assert.Throws<InvalidOperationException>(() => AtomicFolder.Write<int>(target, staging =>
            {
                File.WriteAllText(Path.Combine(staging, "half.txt"), "half");
                throw new InvalidOperationException("crash in the middle");
            }));

            Assert.Equal(["old.txt"], Directory.GetFiles(target).Select(Path.GetFileName));
            Assert.Equal([target], Directory.GetDirectories(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_finished_write_replaces_the_folder_as_a_whole()
    {
        var root = Directory.CreateTempSubdirectory("lethe-atomic-").FullName;
        try
        {
            var target = Path.Combine(root, "model");
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "old.txt"), "old");

            var result = AtomicFolder.Write(target, staging =>
            {
                File.WriteAllText(Path.Combine(staging, "new.txt"), "new");
                return 42;
            });

            Assert.Equal(42, result);
            Assert.Equal(["new.txt"], Directory.GetFiles(target).Select(Path.GetFileName));
            Assert.Equal([target], Directory.GetDirectories(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_build_lock_is_exclusive_until_released()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lethe-lock-{Guid.NewGuid():N}.lock");
        try
        {
            using (BuildLock.Acquire(path))
            {
                using var cancelled = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
                Assert.Throws<OperationCanceledException>(() => BuildLock.Acquire(path, cancelled.Token));
            }
            using var again = BuildLock.Acquire(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
