namespace Lethe.Engine.Training.Qa;

/// <summary>
/// A cross-process lock on a file: held while the file is open exclusively (the OS releases it if the process dies).
/// Used so that concurrent test runs sharing a model cache train each model once.
/// </summary>
public static class BuildLock
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    public static IDisposable Acquire(string lockPath, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                Thread.Sleep(RetryDelay);
            }
        }
    }
}
