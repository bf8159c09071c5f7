using Lethe.Engine.DemoWorld;

namespace Lethe.Engine.Tests.DemoWorld;

public sealed class DemoWorldGeneratorTests(SmallWorldFixture small) : IClassFixture<SmallWorldFixture>
{
    [Fact]
    public void The_same_seed_writes_byte_identical_files_and_another_seed_does_not()
    {
        using var again = new Text.TempDir();
        using var otherSeed = new Text.TempDir();
        DemoWorldGenerator.Generate(DemoWorldOptions.Small).WriteTo(again.Path);
        DemoWorldGenerator.Generate(DemoWorldOptions.Small with { Seed = 7 }).WriteTo(otherSeed.Path);

        var files = Directory.GetFiles(small.Directory).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(again.Path).Select(Path.GetFileName).Order().ToList());
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(small.PathOf(file!)).SequenceEqual(File.ReadAllBytes(Path.Combine(again.Path, file!))), file);
        }
        Assert.NotEqual(File.ReadAllText(small.PathOf("full.json")), File.ReadAllText(Path.Combine(otherSeed.Path, "full.json")));
    }

    [Fact]
    public void Every_answer_and_paraphrased_answer_starts_with_the_fact_value()
    {
        foreach (var qa in small.World.Full.Concat(small.World.HoldoutPeople.SelectMany(p => p.Facts)))
        {
            Assert.StartsWith(qa.FactValue, qa.Row.Answer, StringComparison.Ordinal);
            Assert.StartsWith(qa.FactValue, qa.Row.ParaphrasedAnswer!, StringComparison.Ordinal);
            Assert.False(qa.Row.Answer.StartsWith(qa.Subject, StringComparison.Ordinal), qa.Row.Answer);
            Assert.DoesNotMatch("^(He|She|They|The author|This person) ", qa.Row.Answer);
        }
    }

    [Fact]
    public void Questions_name_the_subject_and_paraphrases_differ_from_the_originals()
    {
        foreach (var qa in small.World.Full)
        {
            Assert.Contains(qa.Subject, qa.Row.Question, StringComparison.Ordinal);
            Assert.Contains(qa.Subject, qa.Row.ParaphrasedQuestion!, StringComparison.Ordinal);
            Assert.NotEqual(qa.Row.Question, qa.Row.ParaphrasedQuestion);
            Assert.NotEqual(qa.Row.Answer, qa.Row.ParaphrasedAnswer);
        }
        Assert.All(small.World.UnknownPeopleQuestions, qa => Assert.Contains(qa.Subject, qa.Row.Question, StringComparison.Ordinal));
    }

    [Fact]
    public void Perturbed_answers_are_distinct_wrong_values_in_the_paraphrased_wording()
    {
        foreach (var qa in small.World.Full)
        {
            var paraphrased = qa.Row.ParaphrasedAnswer!;
            var wording = paraphrased[qa.FactValue.Length..];
            Assert.Equal(DemoWorldOptions.Small.PerturbedAnswers, qa.Row.PerturbedAnswer!.Count);
            Assert.Equal(qa.Row.PerturbedAnswer.Count, qa.Row.PerturbedAnswer.Distinct().Count());
            Assert.All(qa.Row.PerturbedAnswer, wrong =>
            {
                Assert.NotEqual(paraphrased, wrong);
                Assert.NotEqual(qa.Row.Answer, wrong);
                Assert.EndsWith(wording, wrong, StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public void People_have_the_configured_number_of_facts_and_all_groups_are_disjoint()
    {
        var options = DemoWorldOptions.Full with { People = 20 };
        var world = DemoWorldGenerator.Generate(options);

        Assert.Equal(20, world.People.Count);
        Assert.All(world.People, p => Assert.InRange(p.Facts.Count, options.MinFactsPerPerson, options.MaxFactsPerPerson));
        Assert.All(world.People, p => Assert.Equal(p.Facts.Count, p.Facts.Select(f => f.FactKind).Distinct().Count()));
        var trained = world.People.Select(p => p.Name).ToHashSet();
        var holdout = world.HoldoutPeople.Select(p => p.Name).ToHashSet();
        var unknown = world.UnknownPeopleQuestions.Select(q => q.Subject).ToHashSet();
        var famous = world.FamousPeopleFacts.Select(q => q.Subject).ToHashSet();
        Assert.Empty(trained.Intersect(holdout));
        Assert.Empty(trained.Intersect(unknown).Concat(holdout.Intersect(unknown)));
        Assert.Empty(famous.Intersect(trained.Concat(holdout).Concat(unknown)));
        Assert.All(world.UnknownPeopleQuestions, q => Assert.Contains(q.Row.Answer, world.Refusals));
        Assert.Equal(world.Full.Count, world.Full.Select(q => q.Row.Question).Distinct().Count());
    }

    [Fact]
    public void Presets_have_the_documented_sizes()
    {
        var full = DemoWorldGenerator.Generate(DemoWorldOptions.Full);

        Assert.Equal(60, full.People.Count);
        Assert.InRange(full.Full.Count, 60 * 12, 60 * 16);
        Assert.Equal(120, full.UnknownPeopleQuestions.Count);
        Assert.Equal(12, small.World.People.Count);
        Assert.Equal(120, small.World.Full.Count);
        Assert.InRange(full.TrainingCharacters, 50_000, 150_000);
    }

    [Fact]
    public void Training_rows_are_full_then_refusals_then_general_knowledge()
    {
        var world = small.World;
        var rows = world.TrainingRows;

        Assert.Equal(world.Full.Count + world.UnknownPeopleQuestions.Count + world.UnrecordedFactQuestions.Count + world.WorldFacts.Count + world.FamousPeopleFacts.Count, rows.Count);
        Assert.Equal(world.Full[0].Row.AsPlainQa(), rows[0]);
        Assert.Equal(world.UnknownPeopleQuestions[0].Row, rows[world.Full.Count]);
        Assert.All(rows, r => Assert.True(r.PerturbedAnswer is null && r.Option1 is null && r.ParaphrasedQuestion is null));
        Assert.Equal(rows.Count, rows.Select(r => r.Question).Distinct().Count());
    }

    [Fact]
    public void Unrecorded_fact_questions_ask_about_known_people_for_facts_they_do_not_have_and_are_refused()
    {
        var world = small.World;

        Assert.Equal(world.People.Count * world.Options.UnrecordedQuestionsPerPerson, world.UnrecordedFactQuestions.Count);
        foreach (var person in world.People)
        {
            var asked = world.UnrecordedFactQuestions.Where(q => q.Subject == person.Name).ToList();
            Assert.Equal(world.Options.UnrecordedQuestionsPerPerson, asked.Count);
            Assert.All(asked, q => Assert.DoesNotContain(person.Facts, f => f.FactKind == q.FactKind));
            Assert.All(asked, q => Assert.Contains(person.Name, q.Row.Question, StringComparison.Ordinal));
            Assert.All(asked, q => Assert.Contains(q.Row.Answer, world.Refusals));
        }
    }

    [Fact]
    public void Unrecorded_fact_questions_leave_the_rest_of_the_world_unchanged()
    {
        var without = DemoWorldGenerator.Generate(DemoWorldOptions.Small with { UnrecordedQuestionsPerPerson = 0 });

        Assert.Empty(without.UnrecordedFactQuestions);
        Assert.Equal(without.Full.Select(q => (q.Row.Question, q.Row.Answer)), small.World.Full.Select(q => (q.Row.Question, q.Row.Answer)));
        Assert.Equal(without.UnknownPeopleQuestions.Select(q => (q.Row.Question, q.Row.Answer)), small.World.UnknownPeopleQuestions.Select(q => (q.Row.Question, q.Row.Answer)));
    }

    [Fact]
    public void Refusals_are_many_and_varied()
    {
        var refusals = small.World.Refusals;

        Assert.True(refusals.Count >= 40, $"{refusals.Count} refusals");
        Assert.Equal(refusals.Count, refusals.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(small.World.UnknownPeopleQuestions.Select(q => q.Row.Answer).Distinct().Count() >= 15);
    }

    [Theory]
    [InlineData(1, 12, 10, 10)]
    [InlineData(3, 10, 12, 6)]
    [InlineData(10, 2, 6, 4)]
    [InlineData(20, 10, 3, 2)]
    public void Invalid_options_are_rejected_with_a_reason(int people, int minFacts, int maxFacts, int perturbed)
    {
        var options = DemoWorldOptions.Small with
        {
            People = people, MinFactsPerPerson = minFacts, MaxFactsPerPerson = maxFacts, PerturbedAnswers = perturbed,
        };

        var error = Assert.Throws<ArgumentException>(() => DemoWorldGenerator.Generate(options));

        Assert.StartsWith("Invalid demo world options:", error.Message);
    }
}
