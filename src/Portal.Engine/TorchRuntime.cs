using TorchSharp;

namespace Lethe.Engine;

/// <summary>One place that initialises libtorch: thread count and a description of the math backend in use.</summary>
public static class TorchRuntime
{
    private static readonly Lock ThreadsLock = new();
    private static int _threads;

    /// <summary>Sets the intra-op thread count once (LETHE_THREADS or all cores) and returns it.</summary>
    public static int Initialise()
    {
        if (Volatile.Read(ref _threads) is > 0 and var known)
        {
            return known; // no lock once set: work running inside WithThreads may ask too
        }
        lock (ThreadsLock)
        {
            if (_threads == 0)
            {
                var threads = int.TryParse(Environment.GetEnvironmentVariable("LETHE_THREADS"), out var t) && t > 0
                    ? t
                    : Environment.ProcessorCount;
                torch.set_num_threads(threads);
                Volatile.Write(ref _threads, threads);
            }
            return _threads;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with libtorch's intra-op threads set to <paramref name="threads"/> (at least 1), then
    /// restores the configured count. One such section at a time: the count is process-wide.
    /// </summary>
    public static T WithThreads<T>(int threads, Func<T> work)
    {
        var configured = Initialise();
        lock (ThreadsLock)
        {
            torch.set_num_threads(Math.Max(1, threads));
            try
            {
                return work();
            }
            finally
            {
                torch.set_num_threads(configured);
            }
        }
    }
}
