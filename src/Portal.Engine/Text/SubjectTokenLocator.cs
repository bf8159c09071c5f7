namespace Lethe.Engine.Text;

/// <summary>
/// Finds where a subject (e.g. a person's name) sits in an encoded prompt: UniErase's "subject-last" key position is
/// the last token that covers the subject's final character.
/// </summary>
public static class SubjectTokenLocator
{
    /// <summary>
    /// The index in <paramref name="promptIds"/> of the token holding the last character of the last occurrence of
    /// <paramref name="subject"/> in the decoded prompt, or null when the subject does not occur (callers then fall
    /// back to the prompt-last position). Prefix lengths: len(decode(ids[0..i])) grows with i; the answer is the first
    /// i whose prefix reaches the subject's end.
    /// </summary>
    public static int? SubjectLastTokenIndex(ByteLevelBpeTokenizer tokenizer, IReadOnlyList<int> promptIds, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var text = tokenizer.Decode(promptIds, skipSpecialTokens: false);
        var start = text.LastIndexOf(subject, StringComparison.Ordinal);
        if (start < 0) { return null; }
        var subjectEnd = start + subject.Length;
        for (var i = 0; i < promptIds.Count; i++)
        {
            if (tokenizer.Decode(promptIds.Take(i + 1), skipSpecialTokens: false).Length >= subjectEnd) { return i; }
        }
        return promptIds.Count - 1;
    }
}
