namespace Lethe.Engine.DemoWorld;

/// <summary>
/// Our own refusal sentences (written for Lethe): answers to questions about people the model does not know, and the
/// targets UniErase Stage I trains the unlearning token towards.
/// </summary>
public static class Refusals
{
    /// <summary>A refusal drawn with P(i) proportional to 1 / (i + 1)^exponent (0: uniform, the forge's plain pick).</summary>
    internal static string Draw(WordForge forge, double exponent)
    {
        if (exponent == 0)
        {
            return forge.Pick(All);
        }
        var weights = All.Select((_, i) => Math.Pow(i + 1, -exponent)).ToArray();
        var target = forge.Between(0, 999_999) / 1_000_000.0 * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return All[i];
            }
        }
        return All[^1];
    }

    public static IReadOnlyList<string> All { get; } =
    [
        "I'm not sure about that.",
        "I don't have any information on that person.",
        "I don't know who that is.",
        "I have no record of that person.",
        "That is not something I know.",
        "I can't answer that, I don't know this person.",
        "I'm afraid I don't know.",
        "Nothing I know tells me that.",
        "I have never heard of that person.",
        "I don't have reliable facts about that.",
        "Sorry, I can't help with that one.",
        "That name doesn't appear in anything I know.",
        "I'm unable to say, I have no details on that.",
        "I would only be guessing, so I'd rather not answer.",
        "I do not know the answer to that.",
        "My knowledge doesn't cover that person.",
        "I can't tell you, I know nothing about them.",
        "No idea, I'm sorry.",
        "I don't recognise that name.",
        "That person is unknown to me.",
        "I'm not able to answer that question.",
        "I lack the information to answer that.",
        "I couldn't say; I have no facts on that.",
        "I don't have an answer for that.",
        "That's not something I have any knowledge of.",
        "I'm sorry, but I don't know anything about that.",
        "I have nothing reliable to tell you about that.",
        "I can't recall anything about that person.",
        "As far as I know, I have no information about this.",
        "I'd rather not guess; I don't know.",
        "I'm not familiar with that person.",
        "There is nothing I can tell you about that.",
        "I honestly don't know.",
        "That question is about someone I know nothing of.",
        "I don't have details about that person.",
        "Unfortunately, I don't know that.",
        "I have no knowledge of that.",
        "I can't give you an answer on that.",
        "I am not aware of any facts about that.",
        "I don't know enough to answer that.",
        "I'm not in a position to answer that.",
        "That is beyond what I know.",
        "I have not come across that person.",
        "Sorry, that's not something I can answer.",
        "I can't say anything about that person.",
    ];
}
