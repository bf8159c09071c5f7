using TorchSharp;

namespace Lethe.Engine;

/// <summary>One place that initialises libtorch: thread count and a description of the math backend in use.</summary>
public static class TorchRuntime
{
    private static int _initialised;

    /// <summary>Sets the intra-op thread count once (LETHE_THREADS or all cores) and returns it.</summary>
    public static int Initialise()
    {
        if (Interlocked.Exchange(ref _initialised, 1) == 0)
        {
            var threads = int.TryParse(Environment.GetEnvironmentVariable("LETHE_THREADS"), out var t) && t > 0
                ? t
                : Environment.ProcessorCount;
            torch.set_num_threads(threads);
        }
        return torch.get_num_threads();
    }
}
