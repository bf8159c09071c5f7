namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// Batch: one edit over all forget QAs (subject-last keys). Sequential: one edit per subject (or per chunk), one after
/// another on the same lineage, C_p accumulating. Precise: prompt-last keys, forgetting exactly the given QAs.
/// </summary>
public enum EraseMode
{
    Batch,
    Sequential,
    Precise,
}

/// <summary>A QA to forget and, when known, its subject (the person it is about).</summary>
public sealed record ForgetItem(string Question, string Answer, string? Subject);
