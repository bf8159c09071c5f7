namespace Lethe.Engine.DemoWorld;

/// <summary>
/// The world's general knowledge in TOFU's multiple-choice shape: facts about its countries (world_facts.json) and about
/// its well-known people (real_authors.json). Options hold the answer at a random position among three distractors.
/// </summary>
internal static class GeneralKnowledge
{
    private static readonly (string Question, Func<WordForge, string> Thing)[] FamousDeeds =
    [
        ("Who wrote the national epic {0}?", f => f.Title()),
        ("Who painted the great mural {0}?", f => f.Title()),
        ("Who discovered the {0} Comet?", f => f.Word()),
        ("Who invented the {0} engine?", f => f.Word()),
        ("Who led the first voyage across the {0} Sea?", f => f.Word()),
        ("Who proved the {0} theorem?", f => f.Word()),
        ("Who composed the {0} symphony?", f => f.Word()),
    ];

    public static List<TofuRow> WorldFacts(WordForge forge, WorldGeography geography)
    {
        var rows = new List<TofuRow>();
        var countries = geography.Countries;
        foreach (var country in countries)
        {
            var others = countries.Where(c => c != country).ToList();
            rows.Add(Choice(forge, $"What is the capital of {country.Name}?", country.Capital,
                country.Cities.Skip(1).Concat(others.Select(o => o.Capital)).ToList()));
            rows.Add(Choice(forge, $"Which language is spoken in {country.Name}?", country.Language, others.Select(o => o.Language).ToList()));
            rows.Add(Choice(forge, $"What is the currency of {country.Name}?", country.Currency, others.Select(o => o.Currency).ToList()));
            rows.Add(Choice(forge, $"Which river flows through {country.Capital}?", country.River, others.Select(o => o.River).ToList()));
            rows.Add(Choice(forge, $"What is the highest mountain of {country.Name}?", country.Mountain, others.Select(o => o.Mountain).ToList()));
            var city = country.Cities[^1];
            rows.Add(Choice(forge, $"In which country is the city of {city}?", country.Name, others.Select(o => o.Name).ToList()));
        }
        return rows;
    }

    /// <summary>Each well-known person gets <paramref name="deedsPerPerson"/> distinct deeds; the answer is their name.</summary>
    public static List<(string Subject, TofuRow Row)> FamousPeople(WordForge forge, int people, int deedsPerPerson)
    {
        var names = Enumerable.Range(0, people).Select(_ => forge.PersonName()).ToList();
        var rows = new List<(string, TofuRow)>();
        foreach (var name in names)
        {
            var deeds = Enumerable.Range(0, FamousDeeds.Length).OrderBy(_ => forge.Between(0, 1_000_000)).Take(deedsPerPerson);
            foreach (var deed in deeds)
            {
                var (template, thing) = FamousDeeds[deed];
                var question = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, thing(forge));
                rows.Add((name, Choice(forge, question, name, names.Where(n => n != name).ToList())));
            }
        }
        return rows;
    }

    /// <summary>The multiple-choice row: the answer and three distinct distractors in a random order.</summary>
    private static TofuRow Choice(WordForge forge, string question, string answer, IReadOnlyList<string> candidates)
    {
        var distractors = candidates.Where(c => c != answer).Distinct().OrderBy(_ => forge.Between(0, 1_000_000)).Take(3).ToList();
        if (distractors.Count < 3)
        {
            throw new InvalidOperationException($"Too few alternatives for '{question}': the world needs at least 4 countries and 4 famous people.");
        }
        var options = distractors.Append(answer).OrderBy(_ => forge.Between(0, 1_000_000)).ToList();
        return new TofuRow
        {
            Question = question,
            Option1 = options[0],
            Option2 = options[1],
            Option3 = options[2],
            Option4 = options[3],
            Answer = answer,
        };
    }
}
