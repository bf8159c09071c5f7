using Lethe.Engine.Tests.Modeling;
using Lethe.Engine.Unlearning;
using Lethe.Engine.Unlearning.Baselines;

namespace Lethe.Engine.Tests.Unlearning.Baselines;

public sealed class UnlearningMethodsTests
{
    [Theory]
    [InlineData("gradascent", typeof(GradAscentMethod))]
    [InlineData("GradDiff", typeof(GradDiffMethod))]
    [InlineData("npo", typeof(NpoMethod))]
    [InlineData("idk_nll", typeof(IdkNllMethod))]
    [InlineData("sim-npo", typeof(SimNpoMethod))]
    [InlineData("rmu", typeof(RmuMethod))]
    public void CreatesEveryBaselineByName(string name, Type expected)
    {
        var method = UnlearningMethods.Create(name);
        Assert.IsType(expected, method);
        Assert.Equal(name.Replace("_", "").Replace("-", "").ToLowerInvariant(), method.Name);
    }

    [Fact]
    public void UniEraseIsRegisteredTakesItsOwnSettingsAndRefusesBaselineHyperparameters()
    {
        Assert.IsType<Lethe.Engine.Unlearning.UniErase.UniEraseMethod>(UnlearningMethods.Create("unierase"));
        Assert.Contains("unierase", UnlearningMethods.Names);
        var tuned = Assert.IsType<Lethe.Engine.Unlearning.UniErase.UniEraseMethod>(UnlearningMethods.Create("unierase",
            new Dictionary<string, string> { ["threshold"] = "0.1", ["lambda"] = "10", ["layers"] = "1,2", ["rounds"] = "1", ["max_other_questions"] = "50", ["stage_one_epochs"] = "2", ["stage_one_radius"] = "6", ["precise_threshold"] = "0.003" }));
        Assert.Equal(0.1, tuned.Settings.Threshold.Value);
        Assert.Equal(0.003, tuned.Settings.ForPrecise().Threshold.Value);
        Assert.Equal(10.0, tuned.Settings.Lambda);
        Assert.Equal(1.0, new Lethe.Engine.Unlearning.UniErase.UniEraseSettings().LambdaFor(4));
        Assert.Equal(10.0, new Lethe.Engine.Unlearning.UniErase.UniEraseSettings().LambdaFor(6));
        Assert.Equal([1, 2], tuned.Settings.Layers);
        Assert.Equal(1, tuned.Settings.MaxRounds);
        Assert.Equal(50, tuned.StageOne.MaxOtherQuestions);
        Assert.Equal(new Lethe.Engine.Unlearning.StageOne.StageOneSettings().Phases.Select(p => 2 * p.Epochs), tuned.StageOne.Phases.Select(p => p.Epochs));
        Assert.Equal(6.0, tuned.StageOne.InputRowRadius);
        Assert.Contains("no setting 'lr'", Assert.Throws<ArgumentException>(() =>
            UnlearningMethods.Create("unierase", new Dictionary<string, string> { ["lr"] = "1" })).Message);
        Assert.Contains("needs a number", Assert.Throws<ArgumentException>(() =>
            UnlearningMethods.Create("unierase", new Dictionary<string, string> { ["lambda"] = "big" })).Message);
    }

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => UnlearningMethods.Create("forgetall"));
        Assert.Contains("'forgetall'", error.Message);
        foreach (var name in UnlearningMethods.BaselineNames)
        {
            Assert.Contains(name, error.Message);
        }
        Assert.Contains("valid methods", Assert.Throws<ArgumentException>(() => UnlearningMethods.ParseList("npo,bogus")).Message);
        Assert.Equal(["npo", "rmu"], UnlearningMethods.ParseList(" npo , RMU,npo"));
        Assert.Equal(UnlearningMethods.Names, UnlearningMethods.ParseList("all"));
    }

    [Fact]
    public void HyperparametersAreCheckedWhenTheMethodIsCreated()
    {
        var method = (BaselineUnlearningMethod)UnlearningMethods.Create("npo", new Dictionary<string, string> { ["beta"] = "0.5" });
        Assert.Equal("0.5", method.Overrides["beta"]);
        Assert.Contains("unknown hyperparameter 'temperature'", Assert.Throws<ArgumentException>(() =>
            UnlearningMethods.Create("npo", new Dictionary<string, string> { ["temperature"] = "1" })).Message);
        Assert.Contains("not a number", Assert.Throws<ArgumentException>(() =>
            UnlearningMethods.Create("rmu", new Dictionary<string, string> { ["lr"] = "fast" })).Message);
    }

    [Fact]
    public void ReadsPerMethodHyperparametersFromJsonAndNamesTheLineOfAnError()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
        var good = Path.Combine(folder, "good.json");
        File.WriteAllText(good, """{"npo": {"lr": 2e-5, "beta": 0.2}, "rmu": {"layer": 1}}""");
        var parsed = UnlearningMethods.ReadHyperparameters(good);
        Assert.Equal("2E-05", parsed["npo"]["lr"].ToUpperInvariant());
        Assert.Equal("1", parsed["rmu"]["layer"]);

        var bad = Path.Combine(folder, "bad.json");
        File.WriteAllText(bad, "{\n\"npo\": {\"lr\": }\n}");
        Assert.Contains("bad.json:2", Assert.Throws<ArgumentException>(() => UnlearningMethods.ReadHyperparameters(bad)).Message);
        File.WriteAllText(bad, """{"npo": 3}""");
        Assert.Contains("'npo' must be an object", Assert.Throws<ArgumentException>(() => UnlearningMethods.ReadHyperparameters(bad)).Message);
    }

    [Fact]
    public void RegisteredMethodsJoinTheRegistry()
    {
        UnlearningMethods.Register("test-method", (_, time) => new GradAscentMethod(time: time));
        Assert.Contains("testmethod", UnlearningMethods.Names);
        Assert.IsType<GradAscentMethod>(UnlearningMethods.Create("test-method"));
    }

    [Fact]
    public void BatchPlanInterleavesEachForgetBatchWithARetainBatchOfTheSameSize()
    {
        var plan = new BaselineBatchPlan(forgetCount: 10, retainCount: 7, batchSize: 4, epochs: 2, seed: 3);
        var steps = plan.Steps().ToList();

        Assert.Equal(6, plan.TotalSteps);
        Assert.Equal([4, 4, 2, 4, 4, 2], steps.Select(s => s.Forget.Length));
        Assert.All(steps, s => Assert.Equal(s.Forget.Length, s.Retain.Length));
        Assert.Equal(Enumerable.Range(0, 10), steps.Take(3).SelectMany(s => s.Forget).Order());
        Assert.Equal(Enumerable.Range(0, 7), steps.SelectMany(s => s.Retain).Take(7).Order());
        Assert.Equal(steps.SelectMany(s => s.Forget), new BaselineBatchPlan(10, 7, 4, 2, 3).Steps().SelectMany(s => s.Forget));
        Assert.All(new BaselineBatchPlan(10, 0, 4, 1, 3).Steps(), s => Assert.Empty(s.Retain));
    }
}
