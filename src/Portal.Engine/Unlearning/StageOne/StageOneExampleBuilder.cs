namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>
/// Builds Stage I sequences from token ids only: input = prompt + [UNL] + refusal + [UNL] + EOS; labels ignore
/// everything up to and including the first [UNL] and supervise the refusal, the second [UNL] (per
/// <see cref="SecondUnlTarget"/>) and EOS. Labels are aligned with the inputs (HF convention; the loss shifts).
/// </summary>
public sealed class StageOneExampleBuilder
{
    private readonly long _unlId;
    private readonly long _eosId;

    public StageOneExampleBuilder(long unlId, long eosId)
    {
        if (unlId < 0 || eosId < 0 || unlId == eosId)
        {
            throw new ArgumentException($"[UNL] id {unlId} and EOS id {eosId} must be distinct non-negative ids.");
        }
        _unlId = unlId;
        _eosId = eosId;
    }

    public StageOneExample Build(IReadOnlyList<long> promptIds, IReadOnlyList<long> refusalIds, SecondUnlTarget secondUnl = SecondUnlTarget.Supervised)
    {
        RequireTokens(promptIds, "prompt");
        RequireTokens(refusalIds, "refusal");
        var input = new List<long>(promptIds) { _unlId };
        var labels = Enumerable.Repeat(StageOneExample.IgnoreIndex, input.Count).ToList();
        input.AddRange(refusalIds);
        labels.AddRange(refusalIds);
        if (secondUnl != SecondUnlTarget.Omitted)
        {
            input.Add(_unlId);
            labels.Add(secondUnl == SecondUnlTarget.Supervised ? _unlId : StageOneExample.IgnoreIndex);
        }
        input.Add(_eosId);
        labels.Add(_eosId);
        return new StageOneExample([.. input], [.. labels]);
    }

    /// <summary>The same question in both prompt formats (raw/plain and the model's chat/QA format).</summary>
    public (StageOneExample Raw, StageOneExample Formatted) BuildBothFormats(
        IReadOnlyList<long> rawPromptIds, IReadOnlyList<long> formattedPromptIds, IReadOnlyList<long> refusalIds,
        SecondUnlTarget secondUnl = SecondUnlTarget.Supervised) =>
        (Build(rawPromptIds, refusalIds, secondUnl), Build(formattedPromptIds, refusalIds, secondUnl));

    private void RequireTokens(IReadOnlyList<long> ids, string name)
    {
        if (ids.Count == 0)
        {
            throw new ArgumentException($"The {name} has no tokens.");
        }
        var position = ids.ToList().FindIndex(id => id == _unlId || id < 0);
        if (position >= 0)
        {
            throw new ArgumentException(
                $"The {name} holds {(ids[position] < 0 ? $"the negative id {ids[position]}" : "the [UNL] id")} at token {position}; only the engine inserts [UNL].");
        }
    }
}
