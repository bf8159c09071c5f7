using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Lethe.Engine;

/// <summary>
/// libtorch's OpenMP threads busy-wait between parallel regions by default (OMP_WAIT_POLICY=ACTIVE). On a machine whose
/// cores are shared with other processes that spinning starves the worker threads: measured here with 2 threads on a
/// loaded 2-core machine, training ran at ~150 tokens/s with ACTIVE and ~2,900-5,000 tokens/s with PASSIVE (1 thread:
/// ~900). libgomp reads the variable once, when libtorch is loaded, so it is set in the native environment when this
/// assembly loads — before any engine code touches TorchSharp. A value the user set is left alone.
/// </summary>
internal static class OpenMpWaitPolicy
{
    private const string Variable = "OMP_WAIT_POLICY";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before libtorch (and libgomp) is loaded by any engine code.")]
    internal static void PreferPassiveWaiting()
    {
        if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            // Environment.SetEnvironmentVariable changes only .NET's copy; libgomp reads the C library's environment.
            _ = SetNativeVariable(Variable, "PASSIVE", overwrite: 0);
            Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        }
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetNativeVariable(string name, string value, int overwrite);
}
