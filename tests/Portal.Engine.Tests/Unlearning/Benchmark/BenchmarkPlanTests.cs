using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Evaluation.Runner;
using Lethe.Engine.Tests.DemoWorld;
using Lethe.Engine.Tests.Modeling;
using Lethe.Engine.Unlearning.Benchmark;

namespace Lethe.Engine.Tests.Unlearning.Benchmark;

/// <summary>Which QAs each protocol forgets, read from the small demo world's files.</summary>
public sealed class BenchmarkPlanTests(SmallWorldFixture world) : IClassFixture<SmallWorldFixture>
{
    private BenchmarkData Data() => BenchmarkData.Load(world.Directory, "forget10", EvaluationSpec.Demo);

    [Fact]
    public void GroupsTheForgetSplitByPersonFromTheManifest()
    {
        var data = Data();
        var forgetPeople = world.World.Splits.Single(s => s.ForgetName == "forget10").ForgetPeople;

        Assert.Equal(forgetPeople, data.People.Select(p => p.Name));
        Assert.Equal(Enumerable.Range(0, data.Forget.Count), data.People.SelectMany(p => p.ForgetIndices));
        Assert.Equal(world.World.People.Sum(p => p.Facts.Count) - data.Forget.Count, data.Retain.Count);
        Assert.Equal(world.World.Refusals, data.Refusals);
        Assert.Equal("retain95", BenchmarkData.RetainSplitOf("forget05"));
        Assert.Contains("not a forget split", Assert.Throws<ArgumentException>(() => BenchmarkData.RetainSplitOf("retain90")).Message);
    }

    [Fact]
    public void EachProtocolPlansItsRequests()
    {
        var data = Data();
        var first = data.People[0];

        var batch = BenchmarkPlan.For(BenchmarkProtocol.Batch, data, maxItems: 5, peoplePerRequest: 2);
        Assert.Equal(Enumerable.Range(0, 5), Assert.Single(batch.Requests).ForgetIndices);

        var sequential = BenchmarkPlan.For(BenchmarkProtocol.Sequential, data, maxItems: null, peoplePerRequest: 1);
        Assert.Equal(data.People.Select(p => p.ForgetIndices), sequential.Requests.Select(r => r.ForgetIndices));
        Assert.Single(BenchmarkPlan.For(BenchmarkProtocol.Sequential, data, maxItems: 3, peoplePerRequest: 1).Requests);

        var precise = BenchmarkPlan.For(BenchmarkProtocol.Precise, data, maxItems: 1, peoplePerRequest: 2);
        var request = Assert.Single(precise.Requests);
        Assert.Equal([first.ForgetIndices[0]], request.ForgetIndices);
        Assert.Equal(first.ForgetIndices.Skip(1), request.SiblingIndices);
        Assert.Equal([first.Name!], request.People);
    }

    [Fact]
    public void SubsetFolderHoldsOnlyThePlannedForgetRows()
    {
        var data = Data();
        using var temp = new TempFolder();
        var target = temp.Path;

        data.WriteSubset([3, 1], target);

        var subset = TofuSplits.LoadEvaluationSet(target, EvaluationSetNames.Forget, "forget10");
        Assert.Equal([data.Forget[3].Question, data.Forget[1].Question], subset.Select(i => i.Question));
        Assert.Equal(data.Forget[3].PerturbedAnswerList, subset[0].PerturbedAnswerList);
        Assert.True(File.Exists(Path.Combine(target, "retain_perturbed.json")));
    }
}
