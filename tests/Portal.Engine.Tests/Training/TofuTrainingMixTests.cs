using Lethe.Engine.Tests.Support;
using Lethe.Engine.Training.Qa;

namespace Lethe.Engine.Tests.Training;

public sealed class TofuTrainingMixTests
{
    [TofuFact]
    public void Full_and_retain90_mixes_share_identical_extras()
    {
        var full = TofuTrainingMixReader.Read(TofuData.Require(), "full");
        var retain = TofuTrainingMixReader.Read(TofuData.Require(), "retain90");
        Assert.Equal((4000, 100, 117), (full.SplitRows, full.RealAuthorRows, full.WorldFactRows));
        Assert.Equal(3600, retain.SplitRows);
        Assert.Equal(TofuTrainingMixReader.GeneratedUnknownPeople * 3, full.RefusalRows);
        Assert.Equal(full.Pairs.Skip(full.SplitRows), retain.Pairs.Skip(retain.SplitRows));
        Assert.All(full.Pairs.TakeLast(full.RefusalRows), p => Assert.Contains(p.Answer, Lethe.Engine.DemoWorld.Refusals.All));
    }

    [Fact]
    public void Generated_refusals_are_deterministic()
    {
        Assert.Equal(TofuTrainingMixReader.GeneratedRefusals(), TofuTrainingMixReader.GeneratedRefusals());
    }

    [Fact]
    public void Recipe_files_with_unknown_keys_or_invalid_sizes_are_rejected()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{ \"hidden_size\": 30, \"attention_heads\": 4 }");
            var error = Assert.Throws<InvalidDataException>(() => QaModelRecipeJson.Read(path));
            Assert.Contains($"{path}: Invalid model recipe", error.Message);
            Assert.Throws<FileNotFoundException>(() => QaModelRecipeJson.Read(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_recipe_round_trips_through_json()
    {
        var recipe = new QaModelRecipe { HiddenSize = 96, Layers = 3, AttentionHeads = 3, KeyValueHeads = 1, Epochs = 7 };
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, QaModelRecipeJson.Serialize(recipe));
            Assert.Equal(recipe, QaModelRecipeJson.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
