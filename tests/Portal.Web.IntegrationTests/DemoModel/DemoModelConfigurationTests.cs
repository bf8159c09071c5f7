using System.Net;
using Lethe.Portal.Data.Demo;
using Lethe.Portal.Domain.Security;
using Lethe.Portal.Web.DemoModel;
using Lethe.Portal.Web.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Lethe.Portal.Web.IntegrationTests.DemoModel;

[Collection(PortalCollection.Name)]
public class DemoModelConfigurationTests(PortalWebFactory factory)
{
    [Fact]
    public async Task With_building_switched_off_the_status_says_so_and_the_models_page_shows_it()
    {
        var status = await SettledAsync(factory);
        Assert.Equal(DemoModelState.NotStarted, status.State);
        Assert.Contains("Lethe:Demo:BuildModel=false", status.Note);
        Assert.StartsWith(Path.Combine(factory.DataDirectory, "models", "demo-full-"), status.Folder, StringComparison.Ordinal);

        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(DemoAccounts.ForRole(PortalRoles.Manager).Email);
        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync("/models"));
        Assert.Contains("data-state=\"NotStarted\"", page);
        Assert.Contains("Building is switched off", page);
        Assert.DoesNotContain("demo-model-ask", page);
    }

    [Fact]
    public async Task The_engineer_home_shows_the_empty_demo_model_queue_when_nothing_is_built()
    {
        using var session = new PortalSession(factory);
        await session.SignInSuccessfullyAsync(DemoAccounts.ForRole(PortalRoles.Engineer).Email);
        var home = WebUtility.HtmlDecode(await session.Client.GetStringAsync("/"));
        Assert.Contains("The demo model is not built in this installation.", home);
    }

    [Fact]
    public async Task An_unknown_preset_fails_with_a_message_naming_the_setting()
    {
        await using var misconfigured = new SettingsPortalWebFactory(new() { ["Lethe:Demo:ModelPreset"] = "huge" });
        var status = await SettledAsync(misconfigured);
        Assert.Equal(DemoModelState.Failed, status.State);
        Assert.Equal("Configuration value 'Lethe:Demo:ModelPreset' is 'huge'; expected 'full' or 'small'.", status.Error);
    }

    [Fact]
    public async Task Outside_demo_mode_no_model_is_built()
    {
        await using var production = new SettingsPortalWebFactory(new() { ["Portal:Demo:Enabled"] = "false", ["Lethe:Demo:BuildModel"] = "true" });
        var status = await SettledAsync(production);
        Assert.Equal(DemoModelState.NotStarted, status.State);
        Assert.Contains("Demo mode is off", status.Note);
    }

    /// <summary>The status once the build service has looked at the configuration (it never builds in these tests).</summary>
    private static async Task<DemoModelStatus> SettledAsync(PortalWebFactory portal)
    {
        var status = portal.Services.GetRequiredService<IDemoModelStatus>();
        for (var i = 0; i < 100 && string.IsNullOrEmpty(status.Current.Folder) && status.Current.State == DemoModelState.NotStarted; i++)
        {
            await Task.Delay(100);
        }
        return status.Current;
    }

    private sealed class SettingsPortalWebFactory(Dictionary<string, string?> overrides) : PortalWebFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings =>
            base.Settings.Concat(overrides).GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Last().Value);
    }
}
