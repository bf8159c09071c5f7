using Lethe.Engine.DemoWorld;
using Lethe.Engine.Tests.Support;

namespace Lethe.Engine.Tests.DemoWorld;

public sealed class DemoWorldFilesTests(SmallWorldFixture small) : IClassFixture<SmallWorldFixture>
{
    private static readonly string[] PlainQa = ["question", "answer"];
    private static readonly string[] PerturbedQa = ["question", "answer", "paraphrased_question", "paraphrased_answer", "perturbed_answer"];
    private static readonly string[] MultipleChoice = ["question", "option1", "option2", "option3", "option4", "answer"];
    private static readonly string[] PerturbedChoice = ["question", "answer", "perturbed_answer"];

    [Theory]
    [InlineData("full.json")]
    [InlineData("forget01.json")]
    [InlineData("forget10.json")]
    [InlineData("retain90.json")]
    [InlineData("retain99.json")]
    [InlineData("holdout.json")]
    [InlineData("holdout10.json")]
    [InlineData("unknown_people.json")]
    public void Question_answer_files_have_exactly_tofus_two_fields(string file) => AssertFields(file, PlainQa);

    [Theory]
    [InlineData("forget01_perturbed.json")]
    [InlineData("forget05_perturbed.json")]
    [InlineData("forget10_perturbed.json")]
    [InlineData("retain_perturbed.json")]
    public void Perturbed_files_have_tofus_five_fields(string file)
    {
        AssertFields(file, PerturbedQa);
        Assert.All(small.Objects(file), row => Assert.InRange(row["perturbed_answer"]!.AsArray().Count, 3, 5));
    }

    [Theory]
    [InlineData("world_facts.json", "world_facts_perturbed.json")]
    [InlineData("real_authors.json", "real_authors_perturbed.json")]
    public void Multiple_choice_files_have_options_and_a_perturbed_twin(string file, string perturbedFile)
    {
        AssertFields(file, MultipleChoice);
        AssertFields(perturbedFile, PerturbedChoice);
        var rows = TofuJsonLines.Read(small.PathOf(file));
        var perturbed = TofuJsonLines.Read(small.PathOf(perturbedFile));
        Assert.Equal(rows.Count, perturbed.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            string[] options = [rows[i].Option1!, rows[i].Option2!, rows[i].Option3!, rows[i].Option4!];
            Assert.Equal(4, options.Distinct().Count());
            Assert.Contains(rows[i].Answer, options);
            Assert.Equal(rows[i].Question, perturbed[i].Question);
            Assert.Equal(options.Where(o => o != rows[i].Answer), perturbed[i].PerturbedAnswer!);
        }
    }

    [Theory]
    [InlineData("forget01", "retain99")]
    [InlineData("forget05", "retain95")]
    [InlineData("forget10", "retain90")]
    public void Forget_is_the_tail_and_retain_the_head_of_full_in_whole_people(string forgetName, string retainName)
    {
        var full = File.ReadAllLines(small.PathOf("full.json"));
        var forget = File.ReadAllLines(small.PathOf(forgetName + ".json"));
        var retain = File.ReadAllLines(small.PathOf(retainName + ".json"));
        var perturbed = TofuJsonLines.Read(small.PathOf(forgetName + "_perturbed.json"));

        Assert.Equal(full.TakeLast(forget.Length), forget);
        Assert.Equal(full.Take(retain.Length), retain);
        Assert.Equal(full.Length, forget.Length + retain.Length);
        Assert.Equal(TofuJsonLines.Read(small.PathOf(forgetName + ".json")).Select(r => r.Question), perturbed.Select(r => r.Question));

        var manifest = DemoWorldManifest.Read(small.Directory);
        var split = manifest.Splits.Single(s => s.ForgetName == forgetName);
        var forgetSubjects = manifest.Subjects[forgetName + ".json"];
        Assert.Equal(split.ForgetPeople.Order(), forgetSubjects.Distinct().Order());
        Assert.DoesNotContain(manifest.Subjects[retainName + ".json"], split.ForgetPeople.Contains);
        Assert.Equal(forget.Length, split.ForgetRows);
    }

    [Fact]
    public void Retain_perturbed_is_the_head_of_full_and_holdout_splits_match_forget_sizes()
    {
        var retainPerturbed = TofuJsonLines.Read(small.PathOf("retain_perturbed.json"));
        var full = TofuJsonLines.Read(small.PathOf("full.json"));
        var manifest = DemoWorldManifest.Read(small.Directory);

        Assert.Equal(full.Take(retainPerturbed.Count).Select(r => r.Question), retainPerturbed.Select(r => r.Question));
        foreach (var split in manifest.Splits)
        {
            var holdoutPeople = manifest.Subjects[$"holdout{split.Percent:00}.json"].Distinct().Count();
            Assert.Equal(split.ForgetPeople.Count, holdoutPeople);
        }
    }

    [Fact]
    public void Manifest_records_counts_and_a_subject_for_every_row()
    {
        var manifest = DemoWorldManifest.Read(small.Directory);

        Assert.Equal("small", manifest.Preset);
        Assert.Equal(DemoWorldOptions.Small.Seed, manifest.Seed);
        Assert.Equal(small.World.Full.Count, manifest.Counts.Qas);
        Assert.Equal(small.World.TrainingCharacters, manifest.Counts.TrainingCharacters);
        foreach (var (file, subjects) in manifest.Subjects)
        {
            var rows = TofuJsonLines.Read(small.PathOf(file));
            Assert.Equal(rows.Count, subjects.Count);
            Assert.All(rows.Zip(subjects), p => Assert.Contains(p.Second, p.First.Question + p.First.Answer, StringComparison.Ordinal));
            Assert.Equal(rows.Count, manifest.FactKinds[file].Count);
        }
        Assert.Equal(small.World.People.Select(p => p.Name), manifest.People.Select(p => p.Name));
        Assert.Equal(0, manifest.People[0].FirstRow);
    }

    [Fact]
    public void Refusals_file_is_a_json_array_of_the_sentences()
    {
        var refusals = System.Text.Json.JsonSerializer.Deserialize<string[]>(File.ReadAllText(small.PathOf("refusals.json")));
        Assert.Equal(small.World.Refusals, refusals);
    }

    [TofuFact]
    public void The_loader_reads_tofus_own_files_and_our_refusals_are_our_own()
    {
        var tofu = TofuData.Require();

        Assert.Equal(4000, TofuJsonLines.Read(Path.Combine(tofu, "full.json")).Count);
        var forget = TofuJsonLines.Read(Path.Combine(tofu, "forget10_perturbed.json"));
        Assert.Equal(400, forget.Count);
        Assert.All(forget, r => Assert.Equal(5, r.PerturbedAnswer!.Count));
        Assert.NotNull(TofuJsonLines.Read(Path.Combine(tofu, "world_facts.json"))[0].Option4);
        var tofuRefusals = File.ReadAllLines(Path.Combine(tofu, "idontknow.jsonl")).Select(l => l.Trim()).ToHashSet();
        Assert.DoesNotContain(small.World.Refusals, tofuRefusals.Contains);
    }

    private void AssertFields(string file, string[] expected)
    {
        var rows = small.Objects(file);
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal(expected.Order(), row.Select(p => p.Key).Order()));
    }
}
