using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>
/// Where a bench ran, for reading its seconds: libtorch's intra-op threads, the processors the process sees, whether the
/// engine was precompiled (ReadyToRun: no JIT inside the timed requests) and the .NET runtime.
/// </summary>
public sealed record BenchmarkMachine(int Threads, int Processors, bool ReadyToRun, string Runtime)
{
    /// <summary>This process.</summary>
    public static BenchmarkMachine Current() =>
        new(TorchRuntime.Initialise(), Environment.ProcessorCount, IsReadyToRun(typeof(BenchmarkMachine).Assembly.Location), RuntimeInformation.FrameworkDescription);

    /// <summary>Whether the assembly file carries precompiled native code (a ReadyToRun header); false when it cannot be read.</summary>
    public static bool IsReadyToRun(string assemblyPath)
    {
        try
        {
            using var stream = File.OpenRead(assemblyPath);
            using var reader = new PEReader(stream);
            return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or ArgumentException)
        {
            return false;
        }
    }

    public string Describe() =>
        $"{Threads} libtorch threads of {Processors} processors; engine {(ReadyToRun ? "precompiled (ReadyToRun)" : "JIT-compiled (a plain build: first-use compilation falls inside the timed requests)")}; {Runtime}";
}
