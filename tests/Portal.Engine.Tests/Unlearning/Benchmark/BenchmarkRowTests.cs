using Lethe.Engine.Unlearning.Benchmark;

namespace Lethe.Engine.Tests.Unlearning.Benchmark;

public class BenchmarkRowTests
{
    [Fact]
    public void RequestTimeLeavesOutTheLineagesOneTimeStagesAndIsComparedWithUniErases()
    {
        var unierase = new BenchmarkRow
        {
            Method = "unierase",
            WallSeconds = 71,
            StageSeconds = new Dictionary<string, double> { ["stage_one"] = 55, ["preservation_statistics"] = 5, ["lineage_projectors"] = 1, ["targets"] = 6, ["solve"] = 4 },
        };
        var npo = new BenchmarkRow { Method = "npo", WallSeconds = 30, StageSeconds = new Dictionary<string, double> { ["train"] = 30 } };
        var none = new BenchmarkRow { Method = "none" };

        Assert.Equal(10, unierase.RequestSeconds, 9);
        Assert.Equal(30, npo.RequestSeconds, 9);
        Assert.Equal(3.0, npo.WithRatios(1, unierase).RequestSpeedupOfUnierase!.Value, 9);
        Assert.Equal(30.0 / 71, npo.WithRatios(1, unierase).WallRatioToUnierase!.Value, 9);
        Assert.Equal(1.0, unierase.WithRatios(1, unierase).RequestSpeedupOfUnierase!.Value, 9);
        Assert.Null(none.WithRatios(1, unierase).RequestSpeedupOfUnierase);
        Assert.Null(npo.WithRatios(1, null).RequestSpeedupOfUnierase);
    }
}
