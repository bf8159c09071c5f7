using Lethe.Engine.Modeling.Inference;
using Lethe.Engine.Text;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>A request prepared for Stage II: its plain prompt and every context variant, each with its key position.</summary>
internal sealed record PreparedRequest(EditRequest Request, int[] Prompt, int KeyIndex, IReadOnlyList<(int[] Ids, int KeyIndex)> Contexts)
{
    /// <summary>True when a subject was asked for but not found, so the key fell back to the prompt's last token.</summary>
    public bool FellBack { get; init; }
}

/// <summary>
/// Builds the context variants of every request: the prompt itself plus prompts preceded by short prefixes the model
/// writes itself from "The", "Therefore", "Because", "I", "You" (greedy, <c>prefixTokens</c> tokens) and ". ".
/// The key index moves with the prefix.
/// </summary>
internal static class RequestContexts
{
    private static readonly string[] PrefixSeeds = ["The", "Therefore", "Because", "I", "You"];

    public static IReadOnlyList<string> Prefixes(LanguageModel model, int count, int prefixTokens)
    {
        if (count == 0)
        {
            return [];
        }
        var raw = PromptFormat.Get("raw");
        var seeds = PrefixSeeds.Take(count).ToList();
        var generated = GreedyGenerator.GenerateGreedy(
            model.Model, seeds.Select(seed => raw.EncodePrompt(model.Tokenizer, seed)).ToList(), prefixTokens, model.StopIds, model.Tokenizer.PadId);
        return seeds.Zip(generated, (seed, ids) => (seed + model.Tokenizer.Decode(ids)).Replace('\n', ' ').Trim() + ". ").ToList();
    }

    public static PreparedRequest Prepare(LanguageModel model, EditRequest request, IReadOnlyList<string> prefixes)
    {
        var prompt = model.EncodePrompt(request.Question);
        int? subjectIndex = request.Position == KeyPosition.SubjectLast && !string.IsNullOrEmpty(request.Subject)
            ? SubjectTokenLocator.SubjectLastTokenIndex(model.Tokenizer, prompt, request.Subject)
            : null;
        var keyIndex = subjectIndex ?? prompt.Length - 1;
        var hasBos = model.Tokenizer.BosId is { } bos && prompt.Length > 0 && prompt[0] == bos;
        var head = hasBos ? prompt[..1] : [];
        var body = hasBos ? prompt[1..] : prompt;
        var contexts = new List<(int[], int)> { (prompt, keyIndex) };
        foreach (var prefix in prefixes)
        {
            var prefixIds = model.Tokenizer.Encode(prefix);
            contexts.Add(([.. head, .. prefixIds, .. body], keyIndex + prefixIds.Length));
        }
        return new PreparedRequest(request, prompt, keyIndex, contexts)
        {
            FellBack = request.Position == KeyPosition.SubjectLast && subjectIndex is null,
        };
    }
}
