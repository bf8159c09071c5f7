using Lethe.Engine.Tests.Support;
using Lethe.Engine.Unlearning;
using Lethe.Engine.Unlearning.Baselines;
using static TorchSharp.torch;

namespace Lethe.Engine.Tests.Unlearning.Baselines;

/// <summary>Each baseline, run for one step on the small demo model, moves the quantity its loss targets the expected way.</summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class BaselineMethodTests(SmallDemoModelFixture fixture)
{
    /// <summary>One step: one epoch, one batch holding every forget QA, lr 1e-3, no warm-up.</summary>
    private static readonly Dictionary<string, string> OneStep = new() { ["epochs"] = "1", ["batch_size"] = "8", ["lr"] = "1e-3", ["warmup_epochs"] = "0" };

    private UnlearningRequest Request()
    {
        var facts = fixture.World.People[^1].Facts.Take(4).Select(f => new QaPair(f.Row.Question, f.Row.Answer)).ToList();
        var retain = fixture.World.People[0].Facts.Take(4).Select(f => new QaPair(f.Row.Question, f.Row.Answer)).ToList();
        return new UnlearningRequest("test", facts, retain, fixture.World.Refusals, Seed: 7);
    }

    private static double MeanLoss(LanguageModel model, IReadOnlyList<QaPair> pairs) => model.Score(pairs).Average(s => s.MeanLoss);

    [Theory]
    [InlineData("gradascent")]
    [InlineData("graddiff")]
    [InlineData("npo")]
    [InlineData("simnpo")]
    public void OneStepRaisesTheForgetNll(string name)
    {
        using var model = fixture.LoadModel();
        var request = Request();
        var before = MeanLoss(model, request.Forget);

        var outcome = UnlearningMethods.Create(name, OneStep).Run(model, request, null, CancellationToken.None);

        var after = MeanLoss(outcome.Model, request.Forget);
        Assert.True(after > before, $"{name}: forget NLL {before} -> {after}");
        Assert.Equal(1, outcome.Details["steps"]);
        Assert.Equal(outcome.ParametersTotal, outcome.ParametersChanged);
    }

    [Fact]
    public void IdkNllLowersTheNllOfTheChosenRefusals()
    {
        using var model = fixture.LoadModel();
        var request = Request();
        var chooser = new Lethe.Engine.Unlearning.StageOne.RefusalChooser(request.Refusals, request.Seed);
        var refusals = request.Forget.Select(p => new QaPair(p.Question, chooser.ChooseFor(p.Question))).ToList();
        var before = MeanLoss(model, refusals);

        new IdkNllMethod { Overrides = OneStep }.Run(model, request, null, CancellationToken.None);

        var after = MeanLoss(model, refusals);
        Assert.True(after < before, $"refusal NLL {before} -> {after}");
    }

    [Fact]
    public void RmuStepsTowardTheControlVectorAndTrainsOnlyThreeDownProjections()
    {
        using var model = fixture.LoadModel();
        var request = Request();
        var network = model.Model;
        var settings = new RmuMethod { Overrides = OneStep }.SettingsFor(model);
        var layer = RmuMethod.SteeredLayer(network, settings);
        var trained = RmuMethod.TrainedLayers(layer);
        var untouched = network.Layers[0].SelfAttention.parameters().First().detach().clone();
        using var control = RmuLoss.ControlVector(network.Config.HiddenSize, settings.SteeringCoefficient, request.Seed);
        var before = DistanceToControl(model, request.Forget, layer, control);

        var outcome = new RmuMethod { Overrides = OneStep }.Run(model, request, null, CancellationToken.None);

        var after = DistanceToControl(model, request.Forget, layer, control);
        Assert.True(after < before, $"forget activation distance to c*u {before} -> {after}");
        Assert.Equal(trained.Sum(l => network.DownProjWeight(l).numel()), outcome.ParametersChanged);
        Assert.True(network.Layers[0].SelfAttention.parameters().First().eq(untouched).all().item<bool>());
    }

    private static double DistanceToControl(LanguageModel model, IReadOnlyList<QaPair> pairs, int layer, Tensor control)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var batch = LabelledBatch.Build(pairs.Select(model.Encode).ToList(), model.Tokenizer.PadId);
        var hooks = new Lethe.Engine.Modeling.ForwardHooks();
        hooks.CaptureLayerOutputAt.Add(layer);
        model.Model.Hidden(batch.InputIds, batch.AttentionMask, hooks);
        var mask = batch.AnswerMask().unsqueeze(2).to(ScalarType.Float32);
        return ((hooks.LayerOutputs[layer] - control).pow(2) * mask).sum().item<float>() / mask.sum().item<float>();
    }

    [Fact]
    public void LabelledBatchScoresMatchTheTeacherForcedScorer()
    {
        using var model = fixture.LoadModel();
        var pairs = Request().Forget;
        using var noGrad = no_grad();
        using var batch = LabelledBatch.Build(pairs.Select(model.Encode).ToList(), model.Tokenizer.PadId);

        var scores = batch.Score(model.Model).LogLikelihood.data<float>().ToArray();

        var expected = model.Score(pairs).Select(s => -s.SummedLoss).ToArray();
        for (var i = 0; i < pairs.Count; i++)
        {
            Assert.Equal(expected[i], scores[i], 2);
        }
    }

    [Fact]
    public void NpoReferenceIsTheModelBeforeUnlearning()
    {
        using var model = fixture.LoadModel();
        var pairs = Request().Forget;
        var reference = NpoMethod.ReferenceLogLikelihoods(model.Model, pairs.Select(model.Encode).ToList(), model.Tokenizer.PadId, 3);
        Assert.Equal(model.Score(pairs).Select(s => -s.SummedLoss), reference.Select(r => (double)r), new ToleranceComparer(1e-2));
    }

    [Fact]
    public void ReportsEveryStepAndHonoursCancellation()
    {
        using var model = fixture.LoadModel();
        var request = Request();
        var reports = new List<UnlearningProgress>();
        var twoSteps = new Dictionary<string, string>(OneStep) { ["epochs"] = "2" };
        new GradDiffMethod { Overrides = twoSteps }.Run(model, request, new Recorder(reports), CancellationToken.None);
        Assert.Equal([1, 2], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(2, r.TotalSteps));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => new GradDiffMethod().Run(model, request, null, cancelled.Token));
        Assert.All(model.Model.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void BadRequestsAreRefusedWithTheReason()
    {
        using var model = fixture.LoadModel();
        var request = Request();
        Assert.Contains("no forget items", Assert.Throws<ArgumentException>(() =>
            new NpoMethod().Run(model, request with { Forget = [] }, null, CancellationToken.None)).Message);
        Assert.Contains("no retain items", Assert.Throws<ArgumentException>(() =>
            new GradDiffMethod().Run(model, request with { Retain = [] }, null, CancellationToken.None)).Message);
        Assert.Contains("no refusal sentences", Assert.Throws<ArgumentException>(() =>
            new IdkNllMethod().Run(model, request with { Refusals = [] }, null, CancellationToken.None)).Message);
        Assert.Contains("layer 99", Assert.Throws<ArgumentException>(() =>
            new RmuMethod { Overrides = new Dictionary<string, string> { ["layer"] = "99" } }.Run(model, request, null, CancellationToken.None)).Message);
    }

    private sealed class Recorder(List<UnlearningProgress> into) : IProgress<UnlearningProgress>
    {
        public void Report(UnlearningProgress value) => into.Add(value);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));
        public int GetHashCode(double obj) => 0;
    }
}
