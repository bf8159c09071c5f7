using Lethe.Engine.Unlearning.Edit;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning;

public class SequentialEditMemoryTests
{
    private const int Layer = 4;

    [Fact]
    public void MemoryRoundTripsThroughSaveAndLoad()
    {
        var stem = Path.Combine(Path.GetTempPath(), $"lethe-cp-{Guid.NewGuid():N}", "cp");
        using var keysLow = UnlearningTensors.Normal(41, 3, 8);
        using var keysHigh = UnlearningTensors.Normal(42, 5, 8);
        using var memory = new SequentialEditMemory(8);
        memory.RecordEdit(new Dictionary<int, Tensor> { [2] = keysLow, [5] = keysHigh });
        memory.Save(stem);

        using var loaded = SequentialEditMemory.Load(stem);

        Assert.Equal([2, 5], loaded.Layers);
        Assert.Equal(1, loaded.EditCount);
        Assert.Equal(5, loaded.KeyCount(5));
        using var expected = keysHigh.T.matmul(keysHigh);
        using var restored = loaded.For(5);
        Assert.True(restored.allclose(expected));
        using var untouched = loaded.For(3);
        Assert.Equal(0, untouched.abs().sum().item<double>());
        Directory.Delete(Path.GetDirectoryName(stem)!, recursive: true);
    }

    [Fact]
    public void SecondEditKeepsTheFirstEditsOutputsOnlyWithTheMemory()
    {
        var withMemory = FirstEditDriftAfterSecondEdit(useMemory: true);
        var withoutMemory = FirstEditDriftAfterSecondEdit(useMemory: false);

        Assert.True(withMemory < 1e-3, $"drift with C_p {withMemory}");
        Assert.True(withoutMemory > 10 * withMemory, $"drift without C_p {withoutMemory} vs with {withMemory}");
    }

    /// <summary>Edit 1 on forget keys F1, record C_p (through save/load), edit 2 on F2; returns ||W'' F1 - W' F1|| / ||W' F1 - W F1||.</summary>
    private static double FirstEditDriftAfterSecondEdit(bool useMemory)
    {
        using var fixture = new NullSpaceFixture();
        using var projector = fixture.BuildProjector();
        using var weight = UnlearningTensors.Normal(51, 16, 32);
        using var original = weight.clone();
        using var firstKeys = fixture.ComplementKeys(4, 52);
        using var secondKeys = fixture.ComplementKeys(4, 53);
        using var firstResiduals = UnlearningTensors.Normal(54, 4, 16);
        using var secondResiduals = UnlearningTensors.Normal(55, 4, 16);

        using var firstUpdate = AlphaEditSolver.Solve(firstKeys, firstResiduals, projector.Projector, null, 1e-6, ScalarType.Float64);
        AlphaEditSolver.ApplyInPlace(weight, firstUpdate);
        using var afterFirst = firstKeys.matmul(weight.T);

        var stem = Path.Combine(Path.GetTempPath(), $"lethe-seq-{Guid.NewGuid():N}");
        using (var memory = new SequentialEditMemory(32))
        {
            memory.Accumulate(Layer, firstKeys);
            memory.Save(stem);
        }
        using var restored = SequentialEditMemory.Load(stem);
        using var cp = useMemory ? restored.For(Layer) : null;
        using var secondUpdate = AlphaEditSolver.Solve(secondKeys, secondResiduals, projector.Projector, cp, 1e-6, ScalarType.Float64);
        AlphaEditSolver.ApplyInPlace(weight, secondUpdate);
        File.Delete(stem + ".safetensors");
        File.Delete(stem + ".json");

        using var afterSecond = firstKeys.matmul(weight.T);
        using var firstChange = afterFirst - firstKeys.matmul(original.T);
        return (afterSecond - afterFirst).norm().item<double>() / firstChange.norm().item<double>();
    }

    [Fact]
    public void CorruptMemoryFileIsReportedWithItsPath()
    {
        var stem = Path.Combine(Path.GetTempPath(), $"lethe-bad-{Guid.NewGuid():N}");
        using (var memory = new SequentialEditMemory(4))
        {
            using var keys = ones(2, 4);
            memory.Accumulate(1, keys);
            memory.Save(stem);
        }
        File.WriteAllText(stem + ".json", "{\n  \"KeyDimension\": 4,\n  \"EditCount\": oops\n}");

        var error = Assert.Throws<InvalidDataException>(() => SequentialEditMemory.Load(stem));

        Assert.Contains(stem + ".json:3", error.Message);
        File.Delete(stem + ".safetensors");
        File.Delete(stem + ".json");
    }
}
