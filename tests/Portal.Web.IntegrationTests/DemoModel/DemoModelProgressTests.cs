using Lethe.Engine.DemoWorld;
using Lethe.Engine.Training;
using Lethe.Portal.Web.DemoModel;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lethe.Portal.Web.IntegrationTests.DemoModel;

public class DemoModelProgressTests
{
    [Fact]
    public void Training_reports_become_percent_eta_and_loss_other_stages_have_no_percentage()
    {
        var training = new TrainingProgress(2, 50, 200, 0.5, 1000, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(80), 1e-3);

        var step = DemoModelBuildProgressReporter.ToStep(new DemoModelBuildProgress("training", training), TimeSpan.FromSeconds(31));
        var saving = DemoModelBuildProgressReporter.ToStep(new DemoModelBuildProgress("saving"), TimeSpan.FromSeconds(99));

        Assert.Equal(new DemoModelBuildStep("training", TimeSpan.FromSeconds(31), 25, TimeSpan.FromSeconds(80), 0.5), step);
        Assert.Equal("training 25% - about 80 s left - loss 0.5000", DemoModelStatusText.Describe(step));
        Assert.Equal(new DemoModelBuildStep("saving", TimeSpan.FromSeconds(99)), saving);
    }

    [Fact]
    public void Every_report_reaches_the_status_board_as_Building()
    {
        var idle = DemoModelStatus.NotStarted("small", "/models/demo-small-x", "");
        var board = new DemoModelStatusBoard(idle);
        var seen = new List<DemoModelStatus>();
        board.Changed += seen.Add;
        var reporter = new DemoModelBuildProgressReporter(board, idle, TimeProvider.System, NullLogger.Instance);

        reporter.Report(new DemoModelBuildProgress("world"));
        reporter.Report(new DemoModelBuildProgress("tokenizer"));

        Assert.Equal(["world", "tokenizer"], seen.Select(status => status.Step!.Stage));
        Assert.All(seen, status => Assert.Equal(DemoModelState.Building, status.State));
        Assert.Equal("/models/demo-small-x", board.Current.Folder);
    }

    [Theory]
    [InlineData(42, "42 s")]
    [InlineData(200, "3 min")]
    [InlineData(3900, "1 h 05 min")]
    public void Durations_read_naturally(int seconds, string expected) =>
        Assert.Equal(expected, DemoModelStatusText.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("", "/data/models")]
    [InlineData("cache", "/data/cache")]
    [InlineData("/var/cache/lethe", "/var/cache/lethe")]
    public void The_model_directory_resolves_against_the_data_directory(string configured, string expected)
    {
        var options = new DemoModelOptions { ModelDirectory = configured };
        Assert.Equal(expected, options.ResolveModelDirectory("/data"));
    }
}
