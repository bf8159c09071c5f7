using Lethe.Engine.DemoWorld;
using Lethe.Engine.Modeling;
using Lethe.Engine.Tests.Support;
using Lethe.Engine.Training.Qa;

namespace Lethe.Engine.Tests.DemoWorld;

/// <summary>The demo model build: a real training run of the small world to the memorisation bar, and the cache rules.</summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class DemoModelBuilderTests(SmallDemoModelFixture fixture)
{
    [Fact]
    public void Small_world_trains_to_the_memorisation_bar_in_this_test_run()
    {
        var root = Directory.CreateTempSubdirectory("lethe-demo-build-").FullName;
        try
        {
            var folder = Path.Combine(root, "model");
            var record = DemoModelBuilder.Build(DemoModelPreset.Small, folder);

            Assert.True(record.ReachesBar,
                $"memorised {record.MemorisationPassed}/{record.MemorisationTotal} ({record.MemorisationShare:P1}), bar {DemoModelPreset.Small.MemorisationBar:P0}");
            Assert.True(DemoModelBuilder.IsComplete(folder, DemoModelPreset.Small));
            Assert.Equal(DemoModelPreset.Small.Fingerprint(), record.Fingerprint);
            Assert.Equal([folder], Directory.GetDirectories(root)); // no staging folder left behind

            // The saved folder, loaded back, answers as well as the build measured.
            using var model = LanguageModel.Load(folder);
            var world = DemoWorldGenerator.Generate(DemoModelPreset.Small.World);
            var reloaded = MemorisationCheck.Measure(model, DemoTrainingMix.MemorisationQuestions(world));
            Assert.Equal(record.MemorisationPassed, reloaded.Passed);
            Assert.Equal(4, model.Model.LayerCount);
            Assert.Null(model.Tokenizer.SpecialTokenId("[UNL]"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Fixture_model_reaches_the_bar_and_is_reused_from_the_cache()
    {
        Assert.True(fixture.Record.ReachesBar);
        var before = File.GetLastWriteTimeUtc(Path.Combine(fixture.Folder, ModelCheckpoint.WeightsFile));
        var again = DemoModelBuilder.EnsureBuilt(fixture.Preset, fixture.CacheDirectory);
        Assert.Equal(fixture.Folder, again);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(fixture.Folder, ModelCheckpoint.WeightsFile)));
        Assert.True(File.Exists(Path.Combine(fixture.WorldFolder, "forget10.json")));
    }

    [Fact]
    public void Fixture_model_refuses_questions_about_unknown_people()
    {
        using var model = fixture.LoadModel();
        var unknown = fixture.World.UnknownPeopleQuestions.Take(6).ToList();
        var answers = model.Generate(unknown.Select(q => q.Row.Question).ToList(), maxNewTokens: 24);
        var refusals = answers.Count(a => fixture.World.Refusals.Contains(a));
        Assert.True(refusals >= 5, $"only {refusals}/6 refusals: {string.Join(" | ", answers)}");
    }

    [Fact]
    public void A_folder_without_weights_or_with_other_options_is_not_complete()
    {
        var root = Directory.CreateTempSubdirectory("lethe-demo-copy-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(fixture.Folder))
            {
                File.Copy(file, Path.Combine(root, Path.GetFileName(file)));
            }
            CopyDirectory(fixture.WorldFolder, Path.Combine(root, DemoModelBuilder.WorldFolder));
            Assert.True(DemoModelBuilder.IsComplete(root, fixture.Preset));

            var otherOptions = fixture.Preset with { Recipe = fixture.Preset.Recipe with { Epochs = fixture.Preset.Recipe.Epochs + 1 } };
            Assert.NotEqual(fixture.Preset.Fingerprint(), otherOptions.Fingerprint());
            Assert.False(DemoModelBuilder.IsComplete(root, otherOptions));

            File.Delete(Path.Combine(root, ModelCheckpoint.WeightsFile));
            Assert.False(DemoModelBuilder.IsComplete(root, fixture.Preset));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Unknown_preset_names_are_rejected_with_the_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => DemoModelPreset.Get("huge"));
        Assert.Contains("small, full", error.Message);
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
