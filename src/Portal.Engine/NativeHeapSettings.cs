using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Lethe.Engine;

/// <summary>
/// Keeps freed C-heap memory for reuse instead of handing it back to the kernel after every large tensor. glibc's
/// defaults mmap and unmap blocks over a dynamic threshold one by one, trim the heap top past 128 KiB and give each
/// thread an arena, so libtorch's CPU tensors -- allocated and freed by every op, several MiB each in a batch -- pay
/// fresh page faults again and again. Runs as the engine assembly's module initialiser on Linux (glibc), unless
/// LETHE_DEFAULT_MALLOC is set. Measured on the 2-core machine: one forward of 60 x 48 tokens on the small demo model
/// 270-300 ms with glibc's defaults, 85-100 ms with these settings; the small demo request's behaviour checks 0.18-0.19 s
/// against 0.22-0.52 s (three runs each).
/// </summary>
internal static class NativeHeapSettings
{
    public const string OptOutVariable = "LETHE_DEFAULT_MALLOC";

    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int TopPad = -2;        // M_TOP_PAD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int ArenaMax = -8;      // M_ARENA_MAX

    /// <summary>glibc's largest mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX): blocks up to it come from the heap.</summary>
    private const int HeapBlockLimit = 32 * 1024 * 1024;

    /// <summary>True when the settings were applied (Linux with glibc, not opted out).</summary>
    public static bool Applied { get; private set; }

#pragma warning disable CA2255 // must run before libtorch allocates its first tensors
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OptOutVariable)))
        {
            return;
        }
        try
        {
            Applied = mallopt(MmapThreshold, HeapBlockLimit) == 1
                & mallopt(TrimThreshold, 1024 * 1024 * 1024) == 1
                & mallopt(TopPad, 64 * 1024 * 1024) == 1
                & mallopt(ArenaMax, 1) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            // not glibc (e.g. musl): its allocator keeps its own defaults
        }
        catch (DllNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
