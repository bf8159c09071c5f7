namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// General-knowledge probes for the preservation corpus that need no data from the deployment or the evaluation: common
/// question forms (who/what/where/when/which about people, works, places, things) filled with invented names from a
/// seeded syllable generator, each answered by the model itself before the edit. Only the keys matter: C0 then spans the
/// directions the model uses to answer such questions, so the edit leaves them alone (AlphaEdit preserves Wikipedia
/// text for the same reason). Measured on the small demo model: without them 3 of 12 general questions began with [UNL].
/// </summary>
public static class GeneralProbes
{
    private static readonly string[] Forms =
    [
        "Who wrote {0}?", "Who painted {0}?", "Who composed {0}?", "Who invented the {1} machine?", "Who discovered {1}?",
        "Who founded {1}?", "Who is {2}?", "Who was {2}'s teacher?", "Who is {2} married to?", "What did {2} write?",
        "What is the capital of {1}?", "What language is spoken in {1}?", "What is {1} known for?", "What is the {1} river?",
        "Where is {1}?", "Where was {2} born?", "Where does {2} live?", "When was {2} born?", "When did {1} begin?",
        "Which country is {1} in?", "Which prize did {2} win?", "What is {2}'s job?", "How old is {2}?",
        "How long is the {1} river?", "What is {0} about?", "Which city is the home of {1}?",
    ];

    private static readonly string[] Onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "st", "th", "tr"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"];
    private static readonly string[] Codas = ["", "", "n", "r", "l", "s", "th", "nd", "rk"];

    /// <summary><paramref name="count"/> distinct questions (deterministic for a seed).</summary>
    public static IReadOnlyList<string> Questions(int count, int seed = 20261201)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var questions = new HashSet<string>(StringComparer.Ordinal);
        while (questions.Count < count)
        {
            var form = Forms[questions.Count % Forms.Length];
            questions.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, form,
                Title(random), Name(random, 1), Name(random, 1) + " " + Name(random, 1)));
        }
        return [.. questions];
    }

    /// <summary>The probes with the model's own greedy answers (the corpus keeps prompt and answer keys).</summary>
    public static IReadOnlyList<QaPair> AnsweredBy(LanguageModel model, int count, int maxNewTokens = 24)
    {
        var questions = Questions(count);
        return questions.Zip(model.Generate(questions, maxNewTokens), (q, a) => new QaPair(q, a.Length > 0 ? a : ".")).ToList();
    }

    private static string Name(Random random, int words)
    {
        var syllables = random.Next(2, 4);
        var name = string.Concat(Enumerable.Range(0, syllables).Select(i =>
            Onsets[random.Next(Onsets.Length)] + Vowels[random.Next(Vowels.Length)] + (i == syllables - 1 ? Codas[random.Next(Codas.Length)] : "")));
        return char.ToUpperInvariant(name[0]) + name[1..] + (words > 1 ? " " + Name(random, words - 1) : "");
    }

    private static string Title(Random random) => $"The {Name(random, 1)} of {Name(random, 1)}";
}
