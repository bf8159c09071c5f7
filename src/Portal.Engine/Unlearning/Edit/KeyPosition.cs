namespace Lethe.Engine.Unlearning.Edit;

public enum KeyPositionKind
{
    /// <summary>Last token of the subject span inside the prompt (batch / entity forgetting).</summary>
    SubjectLast,

    /// <summary>Last prompt token (precise forgetting of one fact).</summary>
    PromptLast,
}

/// <summary>Where a request's key is read, and whether a wanted subject-last position fell back to prompt-last.</summary>
public sealed record KeyPosition(int Index, KeyPositionKind Kind, bool FellBack);

/// <summary>
/// Picks the key position from token ids: subject-last = index of the last token of the last occurrence of any of the
/// subject's tokenisations (e.g. with and without a leading space) in the prompt; prompt-last = prompt length - 1.
/// A subject that does not occur falls back to prompt-last (recorded in <see cref="KeyPosition.FellBack"/>).
/// </summary>
public static class KeyPositionFinder
{
    public static KeyPosition Find(
        IReadOnlyList<long> promptIds, KeyPositionKind wanted, IReadOnlyList<IReadOnlyList<long>>? subjectTokenisations = null)
    {
        if (promptIds.Count == 0)
        {
            throw new ArgumentException("The prompt has no tokens.", nameof(promptIds));
        }
        var promptLast = new KeyPosition(promptIds.Count - 1, KeyPositionKind.PromptLast, FellBack: false);
        if (wanted == KeyPositionKind.PromptLast)
        {
            return promptLast;
        }
        if (subjectTokenisations is null || subjectTokenisations.All(subject => subject.Count == 0))
        {
            throw new ArgumentException("A subject-last key needs at least one non-empty subject tokenisation.", nameof(subjectTokenisations));
        }
        var lastEnd = subjectTokenisations
            .Where(subject => subject.Count > 0)
            .Select(subject => LastEndOf(promptIds, subject))
            .Max();
        return lastEnd >= 0
            ? new KeyPosition(lastEnd, KeyPositionKind.SubjectLast, FellBack: false)
            : promptLast with { FellBack = true };
    }

    /// <summary>Index of the last token of the last occurrence of <paramref name="span"/>, or -1.</summary>
    private static int LastEndOf(IReadOnlyList<long> ids, IReadOnlyList<long> span)
    {
        for (var start = ids.Count - span.Count; start >= 0; start--)
        {
            if (Enumerable.Range(0, span.Count).All(offset => ids[start + offset] == span[offset]))
            {
                return start + span.Count - 1;
            }
        }
        return -1;
    }
}
