using System.Text.Json;

namespace Lethe.Engine.DemoWorld;

/// <summary>
/// Writes a world in TOFU's file names and shapes (JSON Lines): full, forgetNN/retainMM (tail/head of full),
/// forgetNN_perturbed, retain_perturbed, holdout(+NN), world_facts(+_perturbed), real_authors(+_perturbed),
/// plus unknown_people.json, unrecorded_facts.json, refusals.json and manifest.json.
/// </summary>
internal static class DemoWorldWriter
{
    public static void Write(DemoWorld world, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new Dictionary<string, IReadOnlyList<WorldQa>>();
        void Qas(string name, IReadOnlyList<WorldQa> rows, bool perturbed)
        {
            TofuJsonLines.Write(Path.Combine(directory, name), rows.Select(q => perturbed ? q.Row : q.Row.AsPlainQa()));
            files[name] = rows;
        }

        Qas("full.json", world.Full, perturbed: false);
        var holdout = world.HoldoutPeople.SelectMany(p => p.Facts).ToList();
        Qas("holdout.json", holdout, perturbed: false);
        foreach (var split in world.Splits)
        {
            var forget = world.ForgetRows(split);
            Qas($"{split.ForgetName}.json", forget, perturbed: false);
            Qas($"{split.ForgetName}_perturbed.json", forget, perturbed: true);
            Qas($"{split.RetainName}.json", world.RetainRows(split), perturbed: false);
            var holdoutPeople = world.HoldoutPeople.Take(split.ForgetPeople.Count).SelectMany(p => p.Facts).ToList();
            Qas($"holdout{split.Percent:00}.json", holdoutPeople, perturbed: false);
        }
        // TOFU: retain_perturbed = the first rows of full, as many people as the largest forget split.
        var retainPerturbedPeople = world.Splits.Select(s => s.ForgetPeople.Count).DefaultIfEmpty(1).Max();
        Qas("retain_perturbed.json", world.People.Take(retainPerturbedPeople).SelectMany(p => p.Facts).ToList(), perturbed: true);
        Qas("unknown_people.json", world.UnknownPeopleQuestions, perturbed: false);
        Qas("unrecorded_facts.json", world.UnrecordedFactQuestions, perturbed: false);
        Qas("real_authors.json", world.FamousPeopleFacts, perturbed: true);
        TofuJsonLines.Write(Path.Combine(directory, "real_authors_perturbed.json"), world.FamousPeopleFacts.Select(q => AsPerturbedChoice(q.Row)));
        TofuJsonLines.Write(Path.Combine(directory, "world_facts.json"), world.WorldFacts);
        TofuJsonLines.Write(Path.Combine(directory, "world_facts_perturbed.json"), world.WorldFacts.Select(AsPerturbedChoice));
        File.WriteAllText(Path.Combine(directory, "refusals.json"),
            JsonSerializer.Serialize(world.Refusals, DemoWorldManifest.JsonOptions) + "\n");
        File.WriteAllText(Path.Combine(directory, DemoWorldManifest.FileName),
            JsonSerializer.Serialize(DemoWorldManifest.Describe(world, files), DemoWorldManifest.JsonOptions) + "\n");
    }

    /// <summary>TOFU's *_perturbed shape for multiple-choice sets: question, answer, perturbed_answer = the wrong options.</summary>
    private static TofuRow AsPerturbedChoice(TofuRow row) => new()
    {
        Question = row.Question,
        Answer = row.Answer,
        PerturbedAnswer = new[] { row.Option1, row.Option2, row.Option3, row.Option4 }.Where(o => o != row.Answer).Select(o => o!).ToList(),
    };
}
