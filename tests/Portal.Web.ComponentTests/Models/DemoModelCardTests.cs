using Lethe.Portal.Web.ComponentTests.Support;
using Lethe.Portal.Web.Components.Models;
using Lethe.Portal.Web.DemoModel;
using Microsoft.Extensions.DependencyInjection;

namespace Lethe.Portal.Web.ComponentTests.Models;

public class DemoModelCardTests : PortalComponentTest
{
    private readonly FakeDemoModelStatus _status = new(DemoModelSamples.Idle);
    private readonly FakeDemoModelAnswerer _answerer = new("Laevale is where Vuis Mimesh was born.");

    public DemoModelCardTests()
    {
        Context.Services.AddSingleton<IDemoModelStatus>(_status);
        Context.Services.AddSingleton<IDemoModelAnswerer>(_answerer);
    }

    [Fact]
    public void Not_started_shows_the_reason_and_the_folder_but_no_ask_box()
    {
        var card = Context.Render<DemoModelCard>();

        Assert.Equal("NotStarted", card.Find("[data-testid=demo-model-card]").GetAttribute("data-state"));
        Assert.Equal("Not started", card.Find("[data-testid=demo-model-state]").TextContent.Trim());
        Assert.Contains("Building is switched off", card.Find("[data-testid=demo-model-note]").TextContent);
        Assert.Contains(DemoModelSamples.Folder, card.Find("[data-testid=demo-model-folder]").TextContent);
        Assert.Empty(card.FindAll("[data-testid=demo-model-ask]"));
    }

    [Fact]
    public void Building_shows_stage_percent_eta_and_follows_live_updates()
    {
        _status.Publish(DemoModelSamples.Idle.Building(new DemoModelBuildStep("tokenizer", TimeSpan.FromSeconds(3))));
        var card = Context.Render<DemoModelCard>();
        Assert.Contains("tokenizer", card.Find("[data-testid=demo-model-progress]").TextContent);
        Assert.NotEmpty(card.FindAll(".mud-progress-linear"));

        _status.Publish(DemoModelSamples.Idle.Building(
            new DemoModelBuildStep("training", TimeSpan.FromSeconds(40), 42.4, TimeSpan.FromMinutes(3), 0.8123)));

        card.WaitForAssertion(() => Assert.Contains(
            "training 42% - about 3 min left - loss 0.8123", card.Find("[data-testid=demo-model-progress]").TextContent));
        Assert.Contains("Running for 40 s", card.Markup);
        Assert.Equal("Building", card.Find("[data-testid=demo-model-state]").TextContent.Trim());
    }

    [Fact]
    public void Ready_shows_configuration_memorisation_and_the_ask_box_with_example_chips()
    {
        _status.Publish(DemoModelSamples.Idle.Ready(DemoModelSamples.Facts));

        var card = Context.Render<DemoModelCard>();

        var config = card.Find("[data-testid=demo-model-config]").TextContent;
        Assert.Contains("Layers4", Squash(config));
        Assert.Contains("d_model128", Squash(config));
        Assert.Contains("d_ff512", Squash(config));
        Assert.Contains("Vocabulary768", Squash(config));
        Assert.Contains("Parameters1,246,336", Squash(config));
        Assert.Contains("155/156 answers memorised (99.4%)", card.Find("[data-testid=demo-model-memorisation]").TextContent);
        Assert.Equal(2, card.FindAll("[data-testid=demo-model-examples] .mud-chip").Count);
    }

    [Fact]
    public void Clicking_an_example_asks_it_and_shows_the_answer_beside_the_training_answer()
    {
        _status.Publish(DemoModelSamples.Idle.Ready(DemoModelSamples.Facts));
        var card = Context.Render<DemoModelCard>();

        card.Find("[data-testid=demo-model-examples] .mud-chip").Click();

        card.WaitForAssertion(() => Assert.Equal(
            "Laevale is where Vuis Mimesh was born.", card.Find("[data-testid=demo-model-answer]").TextContent.Trim()));
        Assert.Equal([DemoModelSamples.Trained.Question], _answerer.Asked);
        Assert.Contains("(identical)", card.Find("[data-testid=demo-model-trained-answer]").TextContent);
    }

    [Fact]
    public void A_failing_answer_shows_the_reason_and_keeps_the_box_usable()
    {
        _answerer.Failure = new IOException("model.safetensors: unexpected end of file");
        _status.Publish(DemoModelSamples.Idle.Ready(DemoModelSamples.Facts));
        var card = Context.Render<DemoModelCard>();

        card.Find("[data-testid=demo-model-examples] .mud-chip").Click();

        card.WaitForAssertion(() => Assert.Contains(
            "The model could not answer: model.safetensors: unexpected end of file", card.Find("[data-testid=demo-model-ask-error]").TextContent));
        Assert.Empty(card.FindAll("[data-testid=demo-model-answer]"));
        Assert.False(card.Find("[data-testid=demo-model-ask-button]").HasAttribute("disabled"));
    }

    [Fact]
    public void Failed_shows_the_error()
    {
        _status.Publish(DemoModelSamples.Idle.Failed("disk full"));

        var card = Context.Render<DemoModelCard>();

        Assert.Equal("Failed", card.Find("[data-testid=demo-model-card]").GetAttribute("data-state"));
        Assert.Contains("The build failed: disk full", card.Find("[data-testid=demo-model-error]").TextContent);
        Assert.Empty(card.FindAll("[data-testid=demo-model-ask]"));
    }

    [Fact]
    public async Task Disposing_the_card_stops_listening_to_the_status()
    {
        Context.Render<DemoModelCard>();
        Assert.Equal(1, _status.Subscribers);

        await Context.DisposeComponentsAsync();

        Assert.Equal(0, _status.Subscribers);
    }

    private static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
