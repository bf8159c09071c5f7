using Lethe.Engine;
using TorchSharp;

namespace Lethe.Engine.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void MatrixProductRunsOnNativeLibTorch()
    {
        TorchRuntime.Initialise();
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, b.data<float>().ToArray());
    }

    [Fact]
    public void The_engine_tunes_glibc_malloc_for_libtorch_on_linux_unless_opted_out()
    {
        var expected = OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(NativeHeapSettings.OptOutVariable));
        Assert.Equal(expected, NativeHeapSettings.Applied);
    }
}
