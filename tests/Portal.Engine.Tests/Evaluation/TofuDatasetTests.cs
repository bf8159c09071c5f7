using Lethe.Engine.Evaluation.Data;
using Lethe.Engine.Tests.Support;

namespace Lethe.Engine.Tests.Evaluation;

public sealed class TofuDatasetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lethe-tofu-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void ReadsJsonLinesAndJsonArraysAlike()
    {
        const string first = """{"question": "Q1", "answer": "A1", "paraphrased_question": "PQ", "paraphrased_answer": "PA", "perturbed_answer": ["w1", "w2"]}""";
        const string second = """{"question": "Q2", "answer": "A2", "option1": "o1", "option2": "o2", "option3": "o3", "option4": "o4"}""";
        var lines = TofuDataset.Load(Write("lines.json", first + "\n\n" + second + "\n"));
        var array = TofuDataset.Load(Write("array.json", $"[\n{first},\n{second}\n]"));
        Assert.Equal(lines, array, (a, b) => a.Question == b.Question && a.Answer == b.Answer);
        Assert.Equal(["w1", "w2"], lines[0].PerturbedAnswerList);
        Assert.Equal("PA", lines[0].ParaphrasedAnswer);
        Assert.Equal(["o1", "o2", "o3", "o4"], lines[1].Options!);
    }

    [Fact]
    public void MissingFieldNamesFileAndLine()
    {
        var path = Write("bad.json", "{\"question\": \"Q\", \"answer\": \"A\"}\n{\"question\": \"Q\"}\n");
        var error = Assert.Throws<InvalidDataException>(() => TofuDataset.Load(path));
        Assert.Contains($"{path}:2", error.Message);
        Assert.Contains("'answer'", error.Message);
    }

    [Fact]
    public void MissingRequiredPerturbedFieldIsReported()
    {
        var path = Write("noperturbed.json", "[{\"question\": \"Q\", \"answer\": \"A\"}]");
        var error = Assert.Throws<InvalidDataException>(() => TofuDataset.Load(path, "perturbed_answer"));
        Assert.Contains("array element 0", error.Message);
        Assert.Contains("'perturbed_answer'", error.Message);
    }

    [Fact]
    public void MalformedJsonNamesTheLine()
    {
        var lines = Write("broken.json", "{\"question\": \"Q\", \"answer\": \"A\"}\n{\"question\": oops}\n");
        Assert.Contains($"{lines}:2: malformed JSON", Assert.Throws<InvalidDataException>(() => TofuDataset.Load(lines)).Message);
        var array = Write("broken-array.json", "[\n{\"question\": \"Q\",\n \"answer\": }\n]");
        Assert.Contains($"{array}:3: malformed JSON", Assert.Throws<InvalidDataException>(() => TofuDataset.Load(array)).Message);
        var wrongType = Write("wrong-type.json", "{\"question\": 5, \"answer\": \"A\"}\n");
        Assert.Contains("'question' must be a string", Assert.Throws<InvalidDataException>(() => TofuDataset.Load(wrongType)).Message);
        Assert.Throws<FileNotFoundException>(() => TofuDataset.Load(Path.Combine(_folder, "absent.json")));
    }

    [Fact]
    public void SplitsAreTailsAndHeadsOfFull()
    {
        var full = Enumerable.Range(0, 4000).ToList();
        Assert.Equal(Enumerable.Range(3600, 400), TofuSplits.Select(full, "forget10"));
        Assert.Equal(Enumerable.Range(0, 3960), TofuSplits.Select(full, "retain99"));
        Assert.Throws<ArgumentException>(() => TofuSplits.Select(full, "forget1"));
        Assert.Throws<ArgumentException>(() => EvaluationSetNames.KindOf("nonsense"));
    }

    [TofuFact]
    public void PublishedSplitFilesEqualTheSplitRule()
    {
        var folder = TofuData.Require();
        var full = TofuDataset.Load(Path.Combine(folder, "full.json"));
        foreach (var split in new[] { "forget01", "forget05", "forget10", "retain90", "retain95", "retain99" })
        {
            var published = TofuDataset.Load(Path.Combine(folder, split + ".json"));
            Assert.Equal(published.Select(i => i.Question), TofuSplits.Select(full, split).Select(i => i.Question));
        }
    }

    [TofuFact]
    public void EvaluationSetsLoadWithTheirFields()
    {
        var folder = TofuData.Require();
        var forget = TofuSplits.LoadEvaluationSet(folder, EvaluationSetNames.Forget, "forget10");
        Assert.Equal(400, forget.Count);
        Assert.All(forget, i => Assert.Equal(5, i.PerturbedAnswerList.Count));
        Assert.Equal(100, TofuSplits.LoadEvaluationSet(folder, EvaluationSetNames.RealAuthors).Count);
        Assert.Equal(117, TofuSplits.LoadEvaluationSet(folder, EvaluationSetNames.WorldFacts).Count);
        Assert.Equal(400, TofuSplits.LoadEvaluationSet(folder, EvaluationSetNames.Retain).Count);
        Assert.Equal(400, TofuSplits.LoadEvaluationSet(folder, EvaluationSetNames.Holdout, "forget10").Count);
    }
}
