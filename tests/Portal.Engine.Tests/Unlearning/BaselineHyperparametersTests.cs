using Lethe.Engine.Unlearning.Baselines;

namespace Lethe.Engine.Tests.Unlearning;

public class BaselineHyperparametersTests
{
    [Fact]
    public void DefaultsFollowOpenUnlearning()
    {
        var npo = BaselineHyperparameters.DefaultsFor(BaselineMethod.Npo);
        var simNpo = BaselineHyperparameters.DefaultsFor(BaselineMethod.SimNpo);

        Assert.Equal(0.1, npo.Beta);
        Assert.Equal(1e-5, npo.LearningRate);
        Assert.Equal(10, npo.Epochs);
        Assert.Equal(4.5, simNpo.Beta);
        Assert.Equal(0.125, simNpo.Gamma);
        Assert.Equal(1e-4, BaselineHyperparameters.DefaultsFor(BaselineMethod.GradDiff, modelParameters: 2_000_000).LearningRate);
    }

    [Fact]
    public void OverridesFromADictionary()
    {
        var settings = BaselineHyperparameters.DefaultsFor(BaselineMethod.Npo)
            .WithOverrides(new Dictionary<string, string> { ["LR"] = "3e-4", ["epochs"] = "4", ["steering-coeff"] = "6.5" });

        Assert.Equal(3e-4, settings.LearningRate);
        Assert.Equal(4, settings.Epochs);
        Assert.Equal(6.5, settings.SteeringCoefficient);
    }

    [Fact]
    public void BadOverridesNameTheProblem()
    {
        var defaults = BaselineHyperparameters.DefaultsFor(BaselineMethod.GradDiff);
        Assert.Contains("unknown hyperparameter 'lambda'", Assert.Throws<ArgumentException>(() => defaults.WithOverrides(new Dictionary<string, string> { ["lambda"] = "1" }, "cli")).Message);
        Assert.Contains("not a number", Assert.Throws<ArgumentException>(() => defaults.WithOverrides(new Dictionary<string, string> { ["beta"] = "high" })).Message);
        Assert.Contains("whole number", Assert.Throws<ArgumentException>(() => defaults.WithOverrides(new Dictionary<string, string> { ["epochs"] = "2.5" })).Message);
        Assert.Contains("must be positive", Assert.Throws<ArgumentException>(() => defaults.WithOverrides(new Dictionary<string, string> { ["lr"] = "0" })).Message);
    }

    [Fact]
    public void ParsesJsonWithMethodAndOverrides()
    {
        var settings = BaselineHyperparametersJson.Parse("{\n  \"method\": \"sim_npo\",\n  \"lr\": 2e-4,\n  \"delta\": \"0.5\"\n}");

        Assert.Equal(BaselineMethod.SimNpo, settings.Method);
        Assert.Equal(2e-4, settings.LearningRate);
        Assert.Equal(0.5, settings.Delta);
        Assert.Equal(4.5, settings.Beta);
    }

    [Fact]
    public void BadJsonReportsFileAndLine()
    {
        var syntax = Assert.Throws<ArgumentException>(() => BaselineHyperparametersJson.Parse("{\n  \"method\": \"npo\",\n  \"lr\": ,\n}", "npo.json"));
        Assert.StartsWith("npo.json:3:", syntax.Message);
        Assert.Contains("missing \"method\"", Assert.Throws<ArgumentException>(() => BaselineHyperparametersJson.Parse("{\"lr\": 1}", "x.json")).Message);
        Assert.Contains("unknown method 'dpo'", Assert.Throws<ArgumentException>(() => BaselineHyperparametersJson.Parse("{\"method\": \"dpo\"}")).Message);
    }
}
