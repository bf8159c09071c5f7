using Lethe.Engine.Tests.Support;
using Lethe.Engine.Training.Qa;
using static Lethe.Engine.Tests.Cli.CliRunner;

namespace Lethe.Engine.Tests.Cli;

/// <summary>`generate`, `score`, `train` and `demo build` on the small demo model and its world.</summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class ModelVerbsTests(SmallDemoModelFixture fixture)
{
    [Theory]
    [InlineData("demo", "build")]
    [InlineData("train")]
    [InlineData("generate")]
    [InlineData("score")]
    public void Every_verb_has_help(params string[] verb)
    {
        var (exitCode, output, _) = Run([.. verb, "--help"]);
        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output);
    }

    [Fact]
    public void Generate_answers_a_trained_question_with_its_answer()
    {
        var fact = fixture.World.Full[3].Row;
        var (exitCode, output, error) = Run("generate", "--model", fixture.Folder, "--prompt", fact.Question, "--max-new-tokens", "60");
        Assert.True(exitCode == 0, error);
        Assert.Equal(fact.Answer, output.Trim());
    }

    [Fact]
    public void Generate_and_score_name_the_missing_folder_or_file()
    {
        var (code, _, error) = Run("generate", "--model", "/nonexistent/model", "--prompt", "Who?");
        Assert.Equal(1, code);
        Assert.Contains("Model folder '/nonexistent/model' does not exist", error);

        var empty = Directory.CreateTempSubdirectory("lethe-empty-model-").FullName;
        try
        {
            (code, _, error) = Run("score", "--model", empty, "--question", "Who?", "--answer", "Nobody.");
            Assert.Equal(1, code);
            Assert.Contains("tokenizer.json is missing", error);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Score_succeeds_on_the_demo_model()
    {
        var fact = fixture.World.Full[0].Row;
        var (exitCode, _, error) = Run("score", "--model", fixture.Folder, "--question", fact.Question, "--answer", fact.Answer);
        Assert.True(exitCode == 0, error);
    }

    [Fact]
    public void Train_writes_a_loadable_model_folder_with_its_record()
    {
        var root = Directory.CreateTempSubdirectory("lethe-train-verb-").FullName;
        try
        {
            var config = Path.Combine(root, "recipe.json");
            File.WriteAllText(config, """{ "vocab_size": 300, "hidden_size": 32, "layers": 1, "attention_heads": 2, "key_value_heads": 1, "intermediate_size": 64, "batch_size": 32 }""");
            var output = Path.Combine(root, "model");
            var (exitCode, _, error) = Run("train", "--data", fixture.WorldFolder, "--split", "retain90", "--out", output,
                "--config", config, "--epochs", "1", "--check", "forget10", "--check-rows", "4");
            Assert.True(exitCode == 0, error);
            var record = QaTrainingRecord.Read(output);
            Assert.Equal("retain90", record.Split);
            Assert.Equal(fixture.World.RetainRows(fixture.World.Splits.Single(s => s.RetainName == "retain90")).Count, record.SplitRows);
            Assert.Equal(fixture.World.UnknownPeopleQuestions.Count, record.RefusalRows);
            Assert.Equal(4, record.Memorisation.Total);
            Assert.Equal(1, record.Recipe.Epochs);
            using var model = LanguageModel.Load(output);
            Assert.Equal(1, model.Model.LayerCount);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Train_rejects_a_missing_split_and_lists_the_available_ones()
    {
        var (code, _, error) = Run("train", "--data", fixture.WorldFolder, "--split", "retain42", "--out", Path.Combine(Path.GetTempPath(), "never-written"));
        Assert.Equal(1, code);
        Assert.Contains("has no split 'retain42'", error);
        Assert.Contains("retain90", error);
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "never-written")));
    }

    [Fact]
    public void Train_reports_a_bad_recipe_with_file_and_line()
    {
        var config = Path.GetTempFileName();
        try
        {
            File.WriteAllText(config, "{\n  \"hidden_size\": 64,\n  \"hiden_layers\": 3\n}");
            var (code, _, error) = Run("train", "--data", fixture.WorldFolder, "--split", "full", "--out", Path.GetTempPath(), "--config", config);
            Assert.Equal(1, code);
            Assert.Contains($"{config}:3:", error);
            Assert.Contains("hiden_layers", error);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Train_rejects_a_folder_that_does_not_exist()
    {
        var (code, _, error) = Run("train", "--data", "/nonexistent/tofu", "--split", "full", "--out", "/tmp/x");
        Assert.Equal(1, code);
        Assert.Contains("Training data folder '/nonexistent/tofu' does not exist", error);
    }

    [Fact]
    public void Demo_build_reports_an_up_to_date_folder_without_training()
    {
        // --out pointing at the fixture's finished folder: nothing to rebuild.
        var (code, _, error) = Run("demo", "build", "--small", "--out", fixture.Folder);
        Assert.True(code == 0, error);
    }
}
