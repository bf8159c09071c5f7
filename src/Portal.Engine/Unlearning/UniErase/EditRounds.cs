using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Unlearning.Decoding;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.NullSpace;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>One accepted Stage II round: the requests it edited, its outcome, and the model's fingerprint and C_p after it.</summary>
public sealed record EditRound(int Round, IReadOnlyList<EditRequest> Requests, EditOutcome Outcome, string ResultFingerprint, SequentialEditMemory MemoryAfter);

/// <summary>
/// Stage II in rounds: round 1 edits every request; each further round (up to <see cref="UniEraseSettings.MaxRounds"/>)
/// edits the requests whose question still does not start with [UNL] after the previous one, as the next edit of the
/// sequence (C_p holds the earlier rounds' keys, so they are protected like earlier requests). A round the gate rejects
/// after the first is rolled back by the editor and ends the rounds; a rejected first round propagates. Rounds stop
/// early when a round changes none of the remaining first tokens. Requests of earlier edits on the lineage
/// (<c>earlier</c>) are checked after every round too: one that no longer starts with [UNL] joins the next round, so a
/// later request cannot quietly undo an earlier one (C_p alone did not hold them on the 4-layer demo model).
/// <c>lineage</c> gives what the lineage already knows: its preservation sums and the current model's retained answers.
/// </summary>
public static class EditRounds
{
    public static IReadOnlyList<EditRound> Run(
        LanguageModel model, IReadOnlyList<EditRequest> requests, PreservationCorpus corpus, SequentialEditMemory memory,
        UniEraseSettings settings, RefusalDetector detector, TimeProvider? time = null, Action<string>? progress = null,
        IReadOnlyList<EditRequest>? earlier = null, string? refusal = null, EditReuse? lineage = null)
    {
        var rounds = new List<EditRound>();
        using var projectors = new ProjectorMemo(); // P from round 1's model serves every round, as in AlphaEdit
        var pending = requests;
        var watched = requests.Concat(earlier ?? []).ToList();
        for (var round = 1; round <= settings.MaxRounds && pending.Count > 0; round++)
        {
            progress?.Invoke($"edit round {round}: {pending.Count} request(s)");
            try
            {
                // Later rounds hold the hardest requests, whose keys are by selection the least separable: their energy-ratio
                // precheck would stop every re-edit, so the behaviour checks after the solve (rolled back) decide instead.
                var roundSettings = round == 1 ? settings : settings with { Gate = settings.Gate with { MinNullSpaceEnergyRatio = 0 } };
                var reuse = new EditReuse(projectors.Layers, rounds.Count > 0 ? rounds[^1].Outcome.RetainedAnswersAfter : lineage?.RetainedAnswersBefore, lineage?.Statistics);
                var outcome = new UniEraseEditor(time).Edit(model, pending, corpus, memory, roundSettings, detector, progress, refusal, reuse);
                rounds.Add(new EditRound(round, pending, outcome, ModelFingerprint.Of(model.Model), memory.Clone()));
            }
            catch (EditRejectedException rejected) when (round > 1)
            {
                progress?.Invoke($"edit round {round} rejected, keeping the earlier rounds: {string.Join("; ", rejected.Diagnostics.Gate.Reasons)}");
                break;
            }
            var missed = Missed(model, watched, rounds[^1].Outcome.StartsWithUnl);
            progress?.Invoke($"edit round {round}: [UNL] first on {watched.Count - missed.Count}/{watched.Count} (this request and earlier ones)");
            if (missed.Count == 0 || missed.Select(r => r.Id).SequenceEqual(pending.Select(r => r.Id)))
            {
                break;
            }
            pending = missed;
        }
        return rounds;
    }

    /// <summary>
    /// The watched requests whose question does not start with [UNL] now: the round's checks already know it for the
    /// requests it edited; the others take one decoding step.
    /// </summary>
    private static List<EditRequest> Missed(LanguageModel model, IReadOnlyList<EditRequest> watched, IReadOnlyDictionary<EditRequest, bool> known)
    {
        var unknown = watched.Where(r => !known.ContainsKey(r)).Distinct().ToList();
        var firstTokens = unknown.Count == 0 ? [] : UnlearningDecoder.Answer(model, unknown.Select(r => r.Question).ToList(), maxNewTokens: 1);
        var decoded = unknown.Zip(firstTokens).ToDictionary(pair => pair.First, pair => pair.Second.StartedWithUnl);
        return watched.Where(r => !(known.TryGetValue(r, out var starts) ? starts : decoded[r])).ToList();
    }

    /// <summary>Projectors per layer shared by the rounds of one request; disposed with it.</summary>
    private sealed class ProjectorMemo : IDisposable
    {
        public Dictionary<int, NullSpaceProjector> Layers { get; } = [];

        public void Dispose()
        {
            foreach (var projector in Layers.Values)
            {
                projector.Dispose();
            }
        }
    }
}
