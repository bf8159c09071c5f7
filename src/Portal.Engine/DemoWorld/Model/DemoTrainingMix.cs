namespace Lethe.Engine.DemoWorld;

/// <summary>
/// What a demo model trains on: every person's QAs (plus, optionally, the paraphrased question with the same answer),
/// the well-known people's facts, the world facts, the refusals about people who do not exist and about facts the
/// world does not record for its people.
/// </summary>
public static class DemoTrainingMix
{
    public static IReadOnlyList<QaPair> Build(DemoWorld world, bool includeParaphrasedQuestions)
    {
        ArgumentNullException.ThrowIfNull(world);
        var mix = new List<QaPair>();
        foreach (var qa in world.Full)
        {
            mix.Add(new QaPair(qa.Row.Question, qa.Row.Answer));
            if (includeParaphrasedQuestions && qa.Row.ParaphrasedQuestion is { } paraphrase)
            {
                mix.Add(new QaPair(paraphrase, qa.Row.Answer));
            }
        }
        mix.AddRange(world.FamousPeopleFacts.Select(q => new QaPair(q.Row.Question, q.Row.Answer)));
        mix.AddRange(world.WorldFacts.Select(r => new QaPair(r.Question, r.Answer)));
        mix.AddRange(world.UnknownPeopleQuestions.Concat(world.UnrecordedFactQuestions).Select(q => new QaPair(q.Row.Question, q.Row.Answer)));
        return mix;
    }

    /// <summary>The questions the memorisation bar is measured on: the main question of every trained fact (not refusals).</summary>
    public static IReadOnlyList<QaPair> MemorisationQuestions(DemoWorld world) =>
        world.Full.Select(q => new QaPair(q.Row.Question, q.Row.Answer))
            .Concat(world.FamousPeopleFacts.Select(q => new QaPair(q.Row.Question, q.Row.Answer)))
            .Concat(world.WorldFacts.Select(r => new QaPair(r.Question, r.Answer)))
            .ToList();
}
