using Lethe.Engine.Unlearning.Benchmark;

namespace Lethe.Engine.Tests.Unlearning.Benchmark;

public class BenchmarkMachineTests
{
    [Fact]
    public void ReadyToRunIsReadFromTheAssemblysHeader()
    {
        Assert.True(BenchmarkMachine.IsReadyToRun(typeof(object).Assembly.Location)); // the shared framework ships precompiled
        Assert.False(BenchmarkMachine.IsReadyToRun(typeof(BenchmarkMachine).Assembly.Location)); // a plain build
        Assert.False(BenchmarkMachine.IsReadyToRun(Path.Combine(Path.GetTempPath(), $"lethe-missing-{Guid.NewGuid():N}.dll")));
        var notAnAssembly = Path.GetTempFileName();
        File.WriteAllText(notAnAssembly, "not a PE file");
        Assert.False(BenchmarkMachine.IsReadyToRun(notAnAssembly));
        File.Delete(notAnAssembly);
    }
}
