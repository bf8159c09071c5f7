using Lethe.Engine.Evaluation.Runner;

namespace Lethe.Engine.Tests.Evaluation;

public sealed class EvaluationSpecTests
{
    [Fact]
    public void PresetsFollowTheirConventions()
    {
        Assert.Equal("tofu", EvaluationSpec.Tofu.Name);
        Assert.Equal(300, EvaluationSpec.Tofu.ItemLimit("retain"));
        Assert.Equal("idontknow.jsonl", EvaluationSpec.Tofu.RefusalsFile);
        Assert.Null(EvaluationSpec.Demo.ItemLimit("forget"));
        Assert.Equal("refusals.json", EvaluationSpec.Demo.RefusalsFile);
        Assert.All(new[] { EvaluationSpec.Demo, EvaluationSpec.Tofu }, spec =>
        {
            Assert.Equal(200, spec.MaxNewTokens);
            Assert.Equal("forget10", spec.ForgetSplit);
            Assert.Equal(EvaluationSpec.AllSets, spec.Sets);
        });
        Assert.Same(EvaluationSpec.Tofu, EvaluationSpec.Preset("TOFU"));
    }

    [Fact]
    public void JsonStartsFromAPresetAndOverridesIt()
    {
        var spec = EvaluationSpecJson.Parse("""
            {
              "preset": "tofu",
              // comments are allowed
              "max_items": 50,
              "max_items_by_set": { "world_facts": 20 },
              "sets": ["forget", "retain", "world_facts"],
              "prompt_format": "llama2-chat",
              "max_new_tokens": 64,
            }
            """);

        Assert.Equal("tofu", spec.Name);
        Assert.Equal(50, spec.ItemLimit("forget"));
        Assert.Equal(20, spec.ItemLimit("world_facts"));
        Assert.Equal(["forget", "retain", "world_facts"], spec.Sets);
        Assert.Equal("llama2-chat", spec.PromptFormat);
        Assert.Equal(64, spec.MaxNewTokens);
        Assert.Equal("idontknow.jsonl", spec.RefusalsFile);
    }

    [Fact]
    public void SerialisedSpecReadsBackEqual()
    {
        var spec = EvaluationSpec.Tofu with { Reference = "/x/TOFU_EVAL.json", RefusalSentences = ["No idea."], BatchSize = 4 };
        var read = EvaluationSpecJson.Parse(EvaluationSpecJson.Serialize(spec));

        Assert.Equal(EvaluationSpecJson.Serialize(spec), EvaluationSpecJson.Serialize(read));
        Assert.Equal(4, read.BatchSize);
        Assert.Equal(["No idea."], read.RefusalSentences);
    }

    [Theory]
    [InlineData("{ \"max_itemz\": 5 }", "'max_itemz'")]
    [InlineData("{ \"batch_size\": 0 }", "'batch_size' must be positive")]
    [InlineData("{ \"sets\": [\"forget\", \"bogus\"] }", "unknown set 'bogus'")]
    [InlineData("{ \"forget_split\": \"retain90\" }", "'forget_split' must be forgetXX")]
    [InlineData("{ \"prompt_format\": \"chatml\" }", "Unknown prompt format 'chatml'")]
    [InlineData("{ \"preset\": \"muse\" }", "Unknown evaluation preset 'muse'")]
    [InlineData("{ \"max_items\": \"many\" }", "'$.max_items'")]
    [InlineData("[1, 2]", "must be a JSON object")]
    public void InvalidSpecsNameTheProblem(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => EvaluationSpecJson.Parse(json, "my-spec.json"));
        Assert.StartsWith("my-spec.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ShippedSpecFilesAreValid()
    {
        var repository = new DirectoryInfo(Lethe.Engine.Tests.Support.RepositoryRoot.Path);
        var files = Directory.GetFiles(Path.Combine(repository.FullName, "configs", "eval"), "*.json");
        Assert.NotEmpty(files);
        Assert.All(files, file => EvaluationSpecJson.Load(file));
        Assert.Equal(50, EvaluationSpecJson.Load(Path.Combine(repository.FullName, "configs", "eval", "tofu-quick.json")).MaxItems);
    }

    [Fact]
    public void MalformedSpecFileNamesFileAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lethe-spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\n  \"max_items\": 5,\n  \"sets\": [\"forget\"\n}");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => EvaluationSpecJson.Load(path));
            Assert.StartsWith($"{path}:4: malformed JSON", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Contains("Evaluation spec not found", Assert.Throws<FileNotFoundException>(() => EvaluationSpecJson.Load(path)).Message);
    }
}
