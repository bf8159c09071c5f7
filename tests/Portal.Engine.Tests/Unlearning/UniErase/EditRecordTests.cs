using Lethe.Engine.Unlearning.Records;
using Lethe.Engine.Unlearning.StageOne;
using Lethe.Engine.Unlearning.UniErase;
using Lethe.Engine.Tests.Support;

namespace Lethe.Engine.Tests.Unlearning.UniErase;

/// <summary>Edit records and exports: a runner edit saved with checksums, applied over its parent, exported as a model folder.</summary>
[Collection(SmallDemoModelCollection.Name)]
public sealed class EditRecordTests(SmallDemoModelFixture fixture)
{
    [Fact]
    public void A_saved_record_applied_over_its_parent_reproduces_the_edited_model_and_the_export_loads_back()
    {
        var root = Directory.CreateTempSubdirectory("lethe-record-").FullName;
        using var model = fixture.LoadModel();
        var person = fixture.World.People[5];
        var forget = new[] { new ForgetItem(person.Facts[1].Row.Question, person.Facts[1].Row.Answer, person.Name) };
        var scenario = UniEraseTestKit.Scenario(fixture);
        var inputs = new EraseInputs(forget, scenario.PreservationCorpus(), [], fixture.World.Refusals);
        var options = new EraseOptions(EraseMode.Precise, new UniEraseSettings(), UniEraseTestKit.TestStageOne);
        var lineageToken = UniEraseTestKit.Token(fixture);

        var result = new UniEraseRunner().Run(model, new LineageState(new UnlearningToken(lineageToken.InputRow, lineageToken.OutputRow, lineageToken.Report)), inputs, options);

        var record = Assert.Single(result.Records);
        Assert.Equal("precise", record.Info.Configuration.Mode);
        var precise = new UniEraseSettings().ForPrecise(); // the record states the settings the precise edit ran with
        Assert.Equal(precise.ResidualPreservationWeight, record.Info.Configuration.ResidualPreservationWeight);
        Assert.Equal(precise.ContinuationKeyWeight, record.Info.Configuration.ContinuationKeyWeight);
        Assert.Equal(new UniEraseSettings().GeneralProbes, record.Info.Configuration.GeneralProbes);
        Assert.True(record.Info.ParameterShare.Share is > 0 and < 0.2, $"share {record.Info.ParameterShare.Share}");
        Assert.Contains("solve", record.Info.StageSeconds.Keys);
        var questions = person.Facts.Select(q => q.Row.Question).ToList();
        var edited = UniEraseTestKit.Answers(model, questions);
        record.Save(Path.Combine(root, "record"));

        using var loaded = EditRecord.Load(Path.Combine(root, "record"));
        Assert.Equal(record.Info.Configuration with { Layers = [] }, loaded.Info.Configuration with { Layers = [] });
        Assert.Equal(record.Info.Configuration.Layers, loaded.Info.Configuration.Layers);
        using var parent = fixture.LoadModel();
        loaded.ApplyTo(parent);
        Assert.Equal(edited, UniEraseTestKit.Answers(parent, questions));
        Assert.Equal(record.Info.ResultFingerprint, ModelFingerprint.Of(parent.Model));

        UnlearningLineage.Export(model, result, Path.Combine(root, "model"));
        using var exported = LanguageModel.Load(Path.Combine(root, "model"));
        Assert.NotNull(exported.Tokenizer.SpecialTokenId(UnlearningToken.Text));
        Assert.Equal(edited, UniEraseTestKit.Answers(exported, questions));
        var lineage = UnlearningLineage.Load(Path.Combine(root, "model"));
        Assert.Equal(1, lineage.Memory!.EditCount);
        Assert.NotNull(lineage.Token);
        Assert.Equal(result.Statistics.Pairs, lineage.Statistics!.Pairs); // the next request reuses the lineage's sums
        Assert.Equal(result.Statistics.Layers, lineage.Statistics.Layers);
        Assert.Equal(["general_probes", "lineage_projectors", "preservation_statistics", "retained_answers"], result.LineageSeconds.Keys.Order());
        Assert.Equal(result.GeneralProbes, lineage.GeneralProbes);
        Assert.Equal(result.RetainedAnswers.Answers, lineage.RetainedAnswers!.Answers);
        Assert.Equal(inputs.Forget.Select(f => f.Question), lineage.Forgotten!.Select(p => p.Question)); // watched by later requests
        // the next request on the exported model continues the lineage: nothing is paid twice
        var other = fixture.World.People[4];
        var next = inputs with { Forget = [new ForgetItem(other.Facts[2].Row.Question, other.Facts[2].Row.Answer, other.Name)] };
        var second = new UniEraseRunner().Run(exported, lineage, next, options);
        Assert.Empty(second.LineageSeconds);
        // its sample starts with its own person's siblings: the lineage's answers where known, the rest decoded, all current
        Assert.NotEqual(lineage.RetainedAnswers.Questions, second.RetainedAnswers.Questions);
        Assert.Equal(UniEraseTestKit.Answers(exported, second.RetainedAnswers.Questions), second.RetainedAnswers.Answers);
        Assert.Equal(2, second.Memory.EditCount);
        Assert.Equal([.. inputs.Forget.Select(f => f.Question), other.Facts[2].Row.Question], second.Forgotten.Select(p => p.Question));
        lineage.Memory.Dispose();
        lineage.Statistics.Dispose();

        File.AppendAllText(Path.Combine(root, "record", EditRecord.InfoFile), " ");
        var damaged = Assert.Throws<InvalidDataException>(() => EditRecord.Load(Path.Combine(root, "record")));
        Assert.Contains("SHA-256", damaged.Message);
        using (var again = fixture.LoadModel())
        {
            loaded.ApplyTo(again);
            Assert.Throws<InvalidOperationException>(() => loaded.ApplyTo(again));
        }
        Directory.Delete(root, recursive: true);
    }
}
