using Lethe.Engine.Modeling.Inference;
using Lethe.Engine.Unlearning.StageOne;

namespace Lethe.Engine.Unlearning.Decoding;

/// <summary>One decoded answer of a model that knows [UNL]: the visible text ([UNL] stripped) and whether [UNL] came first.</summary>
public sealed record UnlearnedAnswer(string Text, bool StartedWithUnl, int[] TokenIds);

/// <summary>
/// Decoding rules of a model with the unlearning token: greedy; [UNL] as the FIRST generated token is allowed (it
/// starts the Stage I refusal); any later [UNL] ends the answer; every [UNL] is removed from the visible text. The id is
/// only ever produced by the model or inserted by the engine: user text encodes the string "[UNL]" as plain bytes.
/// </summary>
public static class UnlearningDecoder
{
    /// <summary>The [UNL] id of a tokenizer, or null when the model has no unlearning token.</summary>
    public static int? UnlId(LanguageModel model) => model.UnlearningTokenId;

    /// <summary>GreedyGenerator stop rule: stop after a [UNL] that is not the first generated token.</summary>
    public static Func<int[], int, bool> StopAfterLateUnl(int unlId) => LanguageModel.StopAfterLate(unlId);

    /// <summary>Answers to questions in the model's prompt format.</summary>
    public static IReadOnlyList<UnlearnedAnswer> Answer(LanguageModel model, IReadOnlyList<string> questions, int maxNewTokens = 48) =>
        Decode(model, questions.Select(model.EncodePrompt).ToList(), maxNewTokens);

    /// <summary>Continuations of prompt + [UNL] (Stage I's check: the token alone must make the model refuse).</summary>
    public static IReadOnlyList<UnlearnedAnswer> AnswerAfterToken(LanguageModel model, IReadOnlyList<string> questions, int maxNewTokens = 48)
    {
        var unl = RequireUnl(model);
        return Decode(model, questions.Select(q => (int[])[.. model.EncodePrompt(q), unl]).ToList(), maxNewTokens);
    }

    /// <summary>Greedy decoding of id prompts under the [UNL] rules (in batches of similar length).</summary>
    public static IReadOnlyList<UnlearnedAnswer> Decode(LanguageModel model, IReadOnlyList<int[]> prompts, int maxNewTokens = 48, int batchSize = 32)
    {
        var unl = RequireUnl(model);
        return LengthSortedBatches.Run(prompts, p => p.Length, batchSize, chunk => GreedyGenerator.GenerateGreedy(
                model.Model, chunk, maxNewTokens, model.StopIds, model.Tokenizer.PadId, stopAfter: model.LateUnlearningTokenStop))
            .Select(ids => Answer(model, ids, unl)).ToList();
    }

    /// <summary>
    /// <see cref="Decode(LanguageModel, IReadOnlyList{int[]}, int, int)"/> with expected answers per prompt checked first, in
    /// order (<see cref="DraftedGreedy"/>: the same answers; a prompt whose draft holds costs one forward pass).
    /// </summary>
    public static IReadOnlyList<UnlearnedAnswer> Decode(LanguageModel model, IReadOnlyList<int[]> prompts, IReadOnlyList<IReadOnlyList<int[]>> drafts, int maxNewTokens = 48)
    {
        var unl = RequireUnl(model);
        return DraftedGreedy.Generate(model.Model, prompts, drafts, maxNewTokens, model.StopIds, model.Tokenizer.PadId, model.LateUnlearningTokenStop)
            .Select(ids => Answer(model, ids, unl)).ToList();
    }

    private static UnlearnedAnswer Answer(LanguageModel model, int[] ids, int unl) => new(model.DecodeAnswer(ids), ids.Length > 0 && ids[0] == unl, ids);

    private static int RequireUnl(LanguageModel model) =>
        UnlId(model) ?? throw new InvalidOperationException($"The model has no {UnlearningToken.Text} token; run Stage I first.");
}
