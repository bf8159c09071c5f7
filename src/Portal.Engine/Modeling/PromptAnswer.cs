namespace Lethe.Engine.Modeling;

/// <summary>
/// A prompt and the answer that should follow it, as token ids. <see cref="Answer"/> includes the closing EOS:
/// scoring and training supervise exactly these answer tokens.
/// </summary>
public sealed record PromptAnswer(int[] Prompt, int[] Answer)
{
    /// <summary>Builds an item whose answer is <paramref name="answer"/> followed by <paramref name="eosId"/>.</summary>
    public static PromptAnswer WithEos(int[] prompt, int[] answer, int eosId) => new(prompt, [.. answer, eosId]);

    public int Length => Prompt.Length + Answer.Length;
}
