using Lethe.Engine.Modeling;
using Lethe.Engine.Unlearning.Targets;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// Target value of one request at the last edited layer L: z = h0 + delta, delta minimising
///   mean_ctx[-log p([UNL] | ctx)] + cw mean_ctx,j[-log p(r_j | ctx, [UNL], r_&lt;j)]
///   + kl_factor KL(p_now || p_init on "{subject} is a") + wd ||delta|| / ||h0||^2,
/// where delta is added to layer L's output at the key position of every context (see <see cref="TargetValueOptimiser"/>),
/// r is the refusal that should follow [UNL] (<see cref="ContinuationKeys.Continuations"/>; none = the released
/// [UNL]-only objective) and convergence is judged on the [UNL] term alone; the refusal term counts only once [UNL] is likely (measured: always on,
/// it held one demo request's [UNL] term at 0.2-0.25 and the gate stopped the edit).
/// </summary>
internal sealed class TargetComputation(LanguageModel model, int unlId, int lastLayer, TargetOptimiserSettings settings)
{
    /// <summary>The refusal term joins only while p([UNL] | ctx) &gt; ~0.6 (its NLL below this): [UNL] first comes first.</summary>
    private const float ContinuationGate = 0.5f;

    public (Tensor Target, TargetOptimisationResult Result) Compute(PreparedRequest request, Tensor initialOutput, IReadOnlyList<int>? refusal = null)
    {
        var continuation = settings.ContinuationWeight > 0 && refusal is { Count: > 0 } ? refusal : [];
        using var batch = PaddedBatch.Build(
            request.Contexts.Select(c => (IReadOnlyList<int>)(continuation.Count == 0 ? c.Ids : [.. c.Ids, unlId, .. continuation])).ToList(),
            model.Tokenizer.PadId);
        var unlPositions = request.Contexts.Select(c => c.Ids.Length - 1).ToList();
        long[] continuationTargets = [.. continuation.Select(id => (long)id)];
        using var keyMask = batch.PositionMask(request.Contexts.Select(c => c.KeyIndex).ToList());
        using var kl = KlProbe.Create(model, request);
        var result = TargetValueOptimiser.Optimise(delta =>
        {
            var logits = ForwardWithDelta(batch, keyMask, delta);
            var unlLoss = TargetLossTerms.TargetNll(PaddedBatch.AtPositions(logits, unlPositions), unlId);
            var unlValue = unlLoss.item<float>();
            var loss = unlLoss;
            var refusalNllValue = 0.0;
            if (continuationTargets.Length > 0 && unlValue < ContinuationGate)
            {
                var refusalNll = TargetLossTerms.SequenceNll(
                    nn.functional.log_softmax(logits, 2), unlPositions.Select(p => p + 1).ToList(), continuationTargets);
                refusalNllValue = refusalNll.item<float>();
                loss = loss + refusalNll * settings.ContinuationWeight;
            }
            if (kl is not null && settings.KlFactor > 0)
            {
                var now = nn.functional.log_softmax(PaddedBatch.AtPositions(ForwardWithDelta(kl.Batch, kl.KeyMask, delta), kl.Batch.LastPositions), 1);
                loss = loss + TargetLossTerms.KlToInitial(now, kl.InitialLogProbs) * settings.KlFactor;
            }
            return new TargetObjective(loss + TargetLossTerms.NormPenalty(delta, initialOutput, settings.WeightDecay), unlValue,
                GoodEnough: unlValue < settings.LossThreshold && refusalNllValue < settings.ContinuationThreshold);
        }, initialOutput, settings);
        return (initialOutput + result.Delta, result);
    }

    private Tensor ForwardWithDelta(PaddedBatch batch, Tensor keyMask, Tensor delta)
    {
        var hooks = new ForwardHooks();
        hooks.LayerOutputEdits[lastLayer] = output => output + keyMask * delta;
        return model.Model.Forward(batch.Ids, batch.Mask, hooks);
    }

    /// <summary>The "{subject} is a" prompt (raw), its subject-last position and the unedited next-token log-probabilities.</summary>
    private sealed class KlProbe : IDisposable
    {
        private KlProbe(PaddedBatch batch, Tensor keyMask, Tensor initialLogProbs)
        {
            Batch = batch;
            KeyMask = keyMask;
            InitialLogProbs = initialLogProbs;
        }

        public PaddedBatch Batch { get; }
        public Tensor KeyMask { get; }
        public Tensor InitialLogProbs { get; }

        /// <summary>Null for prompt-last requests (no subject token to anchor the KL on).</summary>
        public static KlProbe? Create(LanguageModel model, PreparedRequest request)
        {
            if (request.Request.Position != KeyPosition.SubjectLast || request.FellBack || string.IsNullOrEmpty(request.Request.Subject))
            {
                return null;
            }
            var subjectIds = model.Tokenizer.Encode(request.Request.Subject);
            int[] ids = [.. model.Tokenizer.BosId is { } bos ? [bos] : Array.Empty<int>(), .. subjectIds, .. model.Tokenizer.Encode(" is a")];
            var subjectLast = ids.Length - model.Tokenizer.Encode(" is a").Length - 1;
            var batch = PaddedBatch.Build([ids], model.Tokenizer.PadId);
            using var _ = no_grad();
            using var logits = model.Model.Forward(batch.Ids, batch.Mask);
            var initial = nn.functional.log_softmax(PaddedBatch.AtPositions(logits, batch.LastPositions), 1);
            return new KlProbe(batch, batch.PositionMask([subjectLast]), initial);
        }

        public void Dispose()
        {
            Batch.Dispose();
            KeyMask.Dispose();
            InitialLogProbs.Dispose();
        }
    }
}
