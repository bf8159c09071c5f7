using System.Text;

namespace Lethe.Engine.Text;

/// <summary>
/// Finds where a subject (e.g. a person's name) sits in an encoded prompt: UniErase's "subject-last" key position is
/// the last token that covers the subject's final character.
/// </summary>
public static class SubjectTokenLocator
{
    /// <summary>
    /// The index in <paramref name="promptIds"/> of the token holding the last byte of the last occurrence of
    /// <paramref name="subject"/> in the decoded prompt, or null when the subject does not occur (callers then fall
    /// back to the prompt-last position). Works in UTF-8 bytes: the first i with sum(bytes(ids[0..i])) >= end of subject.
    /// </summary>
    public static int? SubjectLastTokenIndex(ByteLevelBpeTokenizer tokenizer, IReadOnlyList<int> promptIds, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var text = tokenizer.Decode(promptIds, skipSpecialTokens: false);
        var start = text.LastIndexOf(subject, StringComparison.Ordinal);
        if (start < 0) { return null; }
        var subjectEndByte = Encoding.UTF8.GetByteCount(text.AsSpan(0, start + subject.Length));
        var bytesSoFar = 0;
        for (var i = 0; i < promptIds.Count; i++)
        {
            bytesSoFar += tokenizer.TokenByteLength(promptIds[i]);
            if (bytesSoFar >= subjectEndByte) { return i; }
        }
        return promptIds.Count - 1;
    }
}
