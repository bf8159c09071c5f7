namespace Lethe.Engine.Text;

/// <summary>A token outside the BPE vocabulary proper (HF `added_tokens`): its text is taken literally, never byte-mapped.</summary>
public sealed record AddedToken(int Id, string Content, bool Special);

/// <summary>Which added tokens play the roles of beginning/end of sequence and padding.</summary>
public sealed record SpecialTokenRoles(string? Bos, string Eos, string Pad)
{
    private static readonly string[] KnownBosNames = ["<|begin_of_text|>", "<s>", "<|bos|>", "<bos>"];
    private static readonly string[] KnownEosNames = ["<|end_of_text|>", "</s>", "<|endoftext|>", "<|eos|>", "<eos>"];
    private static readonly string[] KnownPadNames = ["<|pad|>", "<pad>", "<|finetune_right_pad_id|>"];

    /// <summary>
    /// Explicit names win; otherwise the usual names among <paramref name="specialContents"/> are used
    /// (BOS optional, PAD falls back to EOS). Throws when no EOS can be found.
    /// </summary>
    public static SpecialTokenRoles Infer(
        IReadOnlyCollection<string> specialContents, string? bos, string? eos, string? pad, string source)
    {
        var resolvedBos = bos ?? KnownBosNames.FirstOrDefault(specialContents.Contains);
        var resolvedEos = eos ?? KnownEosNames.FirstOrDefault(specialContents.Contains)
            ?? throw new FormatException(
                $"{source}: no end-of-sequence token found; name one (eos_token in tokenizer_config.json) or include one of " +
                string.Join(", ", KnownEosNames) + " as a special token.");
        var resolvedPad = pad ?? KnownPadNames.FirstOrDefault(specialContents.Contains) ?? resolvedEos;
        return new SpecialTokenRoles(resolvedBos, resolvedEos, resolvedPad);
    }
}
