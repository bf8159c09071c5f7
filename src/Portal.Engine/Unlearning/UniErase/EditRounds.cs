using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Unlearning.Decoding;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.NullSpace;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>One accepted Stage II round: the requests it edited, its outcome, and the model's fingerprint and C_p after it.</summary>
public sealed record EditRound(int Round, IReadOnlyList<EditRequest> Requests, EditOutcome Outcome, string ResultFingerprint, SequentialEditMemory MemoryAfter);

/// <summary>
/// Stage II in rounds: round 1 edits every request; each further round (up to <see cref="UniEraseSettings.MaxRounds"/>)
/// edits the requests whose question still does not start with [UNL] after the previous one (one decoding step), as the
/// next edit of the sequence (C_p holds the earlier rounds' keys, so they are protected like earlier requests). A round the
/// structural gate rejects after the first ends the rounds; a rejected first round propagates. Rounds stop early when a
/// round changes none of the remaining first tokens. Requests of earlier edits on the lineage (<c>earlier</c>) are
/// watched after every round too: one that no longer starts with [UNL] joins the next round, so a later request cannot
/// quietly undo an earlier one (C_p alone did not hold them on the 4-layer demo model).
/// The behaviour checks (<see cref="EditChecks.After"/>: the request's forget questions decoded in full, the sampled
/// retained answers against the model's before the request) run once, after the last round, and go into its diagnostics;
/// when they fail, the last round is rolled back (weights and C_p) and the checks run again on the model before it, down
/// to the first round, whose failure propagates with the model unchanged. (Until the fifth session they ran after every
/// round, against the previous round's answers: 3.5 of a 9.4 s TOFU request.)
/// <c>lineage</c> gives what the lineage already knows: its preservation sums and the current model's retained answers.
/// </summary>
public static class EditRounds
{
    public static IReadOnlyList<EditRound> Run(
        LanguageModel model, IReadOnlyList<EditRequest> requests, PreservationCorpus corpus, SequentialEditMemory memory,
        UniEraseSettings settings, RefusalDetector detector, TimeProvider? time = null, Action<string>? progress = null,
        IReadOnlyList<EditRequest>? earlier = null, string? refusal = null, EditReuse? lineage = null)
    {
        var provider = time ?? TimeProvider.System;
        var retainedBefore = lineage?.RetainedAnswersBefore ?? EditChecks.RetainedAnswers(model, corpus);
        var layers = settings.LayersFor(model.Model.LayerCount);
        var rounds = new List<EditRound>();
        var weightsBefore = new List<Dictionary<int, Tensor>>(); // per round: the edited matrices before it
        using var memoryBefore = memory.Clone();
        using var projectors = new ProjectorMemo(); // P from round 1's model serves every round, as in AlphaEdit
        var pending = requests;
        var watched = requests.Concat(earlier ?? []).ToList();
        var firstTokenSeconds = 0.0;
        try
        {
            for (var round = 1; round <= settings.MaxRounds && pending.Count > 0; round++)
            {
                progress?.Invoke($"edit round {round}: {pending.Count} request(s)");
                var weights = layers.ToDictionary(layer => layer, layer => model.Model.DownProjWeight(layer).detach().clone());
                try
                {
                    // Later rounds hold the hardest requests, whose keys are by selection the least separable: their energy-ratio
                    // precheck would stop every re-edit, so the behaviour checks after the last round (rolled back) decide instead.
                    var roundSettings = round == 1 ? settings : settings with { Gate = settings.Gate with { MinNullSpaceEnergyRatio = 0 } };
                    var reuse = new EditReuse(projectors.Layers, null, lineage?.Statistics);
                    var outcome = new UniEraseEditor(time).Edit(model, pending, corpus, memory, roundSettings, detector, progress, refusal, reuse, checkBehaviour: false);
                    rounds.Add(new EditRound(round, pending, outcome, ModelFingerprint.Of(model.Model), memory.Clone()));
                    weightsBefore.Add(weights);
                }
                catch (EditRejectedException rejected)
                {
                    DisposeAll(weights.Values);
                    if (round == 1)
                    {
                        throw;
                    }
                    progress?.Invoke($"edit round {round} rejected, keeping the earlier rounds: {string.Join("; ", rejected.Diagnostics.Gate.Reasons)}");
                    break;
                }
                if (round == settings.MaxRounds)
                {
                    break; // the checks below decode every forget question anyway
                }
                var missedClock = provider.GetTimestamp();
                var missed = Missed(model, watched);
                firstTokenSeconds += provider.GetElapsedTime(missedClock).TotalSeconds;
                progress?.Invoke($"edit round {round}: [UNL] first on {watched.Count - missed.Count}/{watched.Count} (this request and earlier ones)");
                if (missed.Count == 0 || missed.Select(r => r.Id).SequenceEqual(pending.Select(r => r.Id)))
                {
                    break;
                }
                pending = missed;
            }
            var checkClock = provider.GetTimestamp();
            var check = Checked(model, rounds, weightsBefore, memory, memoryBefore, requests, corpus, settings, detector, retainedBefore, refusal, progress);
            var last = rounds[^1];
            var seconds = new Dictionary<string, double>(last.Outcome.StageSeconds)
            {
                ["checks"] = firstTokenSeconds + provider.GetElapsedTime(checkClock).TotalSeconds, // this request's: the rounds' first tokens and the checks
            };
            rounds[^1] = last with
            {
                Outcome = last.Outcome with
                {
                    Diagnostics = last.Outcome.Diagnostics with { Behaviour = check.Behaviour, Gate = check.Apply(last.Outcome.Diagnostics.Gate) },
                    StageSeconds = seconds, RetainedAnswersAfter = check.RetainedAnswersAfter, StartsWithUnl = check.StartsWithUnl,
                },
            };
            return rounds;
        }
        finally
        {
            weightsBefore.ForEach(weights => DisposeAll(weights.Values));
        }
    }

    /// <summary>
    /// The behaviour checks after the last round; a failed check rolls the last round back (weights and C_p) and checks the
    /// model before it, down to the first round, whose failure propagates. Returns the passing check of the last round kept.
    /// </summary>
    private static EditCheck Checked(
        LanguageModel model, List<EditRound> rounds, List<Dictionary<int, Tensor>> weightsBefore, SequentialEditMemory memory, SequentialEditMemory memoryBefore,
        IReadOnlyList<EditRequest> requests, PreservationCorpus corpus, UniEraseSettings settings, RefusalDetector detector,
        IReadOnlyList<string> retainedBefore, string? refusal, Action<string>? progress)
    {
        while (true)
        {
            var last = rounds[^1];
            var check = EditChecks.After(model, requests, corpus, detector, retainedBefore, refusal, settings);
            progress?.Invoke($"checks after round {last.Round}: [UNL] first on {check.Behaviour.ForgetUnlFirstRate:P0} of the request's questions, " +
                             $"refusal {check.Behaviour.ForgetRefusalRate:P0}, retained answers changed {check.Behaviour.RetainedChangedRate:P1}");
            if (check.Passed)
            {
                return check;
            }
            progress?.Invoke($"round {last.Round} rolled back: {string.Join("; ", check.Failures)}");
            using (no_grad())
            {
                foreach (var (layer, weight) in weightsBefore[^1])
                {
                    model.Model.DownProjWeight(layer).copy_(weight);
                }
            }
            DisposeAll(weightsBefore[^1].Values);
            weightsBefore.RemoveAt(weightsBefore.Count - 1);
            DisposeAll(last.Outcome.WeightDeltas.Values);
            last.MemoryAfter.Dispose();
            rounds.RemoveAt(rounds.Count - 1);
            memory.RestoreFrom(rounds.Count > 0 ? rounds[^1].MemoryAfter : memoryBefore);
            if (rounds.Count == 0)
            {
                throw new EditRejectedException(last.Outcome.Diagnostics with { Behaviour = check.Behaviour, Gate = check.Apply(last.Outcome.Diagnostics.Gate) });
            }
        }
    }

    /// <summary>The watched requests whose question does not start with [UNL] now (one decoding step).</summary>
    private static List<EditRequest> Missed(LanguageModel model, IReadOnlyList<EditRequest> watched)
    {
        var distinct = watched.Distinct().ToList();
        var firstTokens = UnlearningDecoder.Answer(model, distinct.Select(r => r.Question).ToList(), maxNewTokens: 1);
        var starts = distinct.Zip(firstTokens).ToDictionary(pair => pair.First, pair => pair.Second.StartedWithUnl);
        return watched.Where(r => !starts[r]).ToList();
    }

    private static void DisposeAll<T>(IEnumerable<T> items) where T : IDisposable
    {
        foreach (var item in items)
        {
            item.Dispose();
        }
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
