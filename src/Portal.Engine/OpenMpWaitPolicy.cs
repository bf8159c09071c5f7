using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Lethe.Engine;

/// <summary>
/// Makes libtorch's OpenMP workers sleep instead of spin while waiting (OMP_WAIT_POLICY=PASSIVE, unless the user
/// set a policy). libgomp reads the variable once, when libtorch loads, so this runs as the engine assembly's
/// module initialiser. Measured on the shared 2-core machine under load: training a tiny model took 49 s with
/// spinning workers and 4 s with passive ones.
/// </summary>
internal static class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

#pragma warning disable CA2255 // must run before any caller touches TorchSharp, which loads libgomp
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void SetPassiveUnlessConfigured()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }
        Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            // .NET keeps its own copy of the environment on Unix; native code reads the C library's.
            _ = setenv(Variable, "PASSIVE", 0);
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
