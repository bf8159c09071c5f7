using System.Net;
using Lethe.Portal.Data.Demo;
using Lethe.Portal.Domain.Security;
using Lethe.Portal.Web.DemoModel;
using Lethe.Portal.Web.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Lethe.Portal.Web.IntegrationTests.DemoModel;

/// <summary>
/// The real build: the portal trains the small demo model through its background service (into the test model cache
/// shared with the engine tests, so a machine builds it once; the build lock makes concurrent runs wait), the status
/// goes Ready, the Models page and the engineer's home show it, and the model answers a training question.
/// </summary>
public sealed class DemoModelBuildTests : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(40);

    private readonly SmallDemoModelPortalFactory _factory = new();

    [Fact]
    public async Task The_small_demo_model_builds_in_the_background_and_the_portal_shows_and_answers_with_it()
    {
        var status = _factory.Services.GetRequiredService<IDemoModelStatus>();
        var ready = await WaitForReadyOrFailedAsync(status);

        Assert.True(ready.State == DemoModelState.Ready, DemoModelStatusText.Summary(ready));
        var facts = ready.Facts!;
        Assert.Equal(4, facts.Layers);
        Assert.True(facts.Build.ReachesBar, DemoModelStatusText.Memorisation(facts));
        Assert.StartsWith(SmallDemoModelPortalFactory.SharedCache, ready.Folder, StringComparison.Ordinal);

        using var session = new PortalSession(_factory);
        await session.SignInSuccessfullyAsync(DemoAccounts.ForRole(PortalRoles.Engineer).Email);
        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync("/models"));
        Assert.Contains("data-state=\"Ready\"", page);
        Assert.Contains(DemoModelStatusText.Memorisation(facts), page);
        Assert.Contains(ready.Folder, page);
        Assert.Contains(facts.ExampleQuestions[0].Question, page);
        var home = WebUtility.HtmlDecode(await session.Client.GetStringAsync("/"));
        Assert.Contains("Demo model (small): Ready", home);

        var trained = facts.ExampleQuestions[0];
        var answer = await _factory.Services.GetRequiredService<IDemoModelAnswerer>().AskAsync(trained.Question, CancellationToken.None);
        Assert.Equal(trained.Answer, answer.Answer);
    }

    private static async Task<DemoModelStatus> WaitForReadyOrFailedAsync(IDemoModelStatus status)
    {
        using var timeout = new CancellationTokenSource(BuildTimeout);
        while (status.Current.State is DemoModelState.NotStarted or DemoModelState.Building)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        }
        return status.Current;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private sealed class SmallDemoModelPortalFactory : PortalWebFactory
    {
        /// <summary>The engine tests' cache of the small demo model (SmallDemoModelFixture).</summary>
        public static readonly string SharedCache = Path.Combine(Path.GetTempPath(), "lethe-test-cache");

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Lethe:Demo:BuildModel"] = "true",
            ["Lethe:Demo:ModelPreset"] = "small",
            ["Lethe:Demo:ModelDirectory"] = SharedCache,
        };
    }
}
