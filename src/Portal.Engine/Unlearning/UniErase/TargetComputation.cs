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

    /// <summary>True when every request can join <see cref="ComputeAll"/> (no KL probe: prompt-last or fallen-back keys).</summary>
    public bool CanBatch(IReadOnlyList<PreparedRequest> requests) => settings.KlFactor == 0 || !requests.Any(KlProbe.IsNeeded);

    /// <summary>
    /// The targets of all requests at once (one forward pass per step; <see cref="TargetRowsOptimiser"/>): the same
    /// per-request loss as <see cref="Compute"/>, each request's delta added at its own key positions. initialOutputs:
    /// h0 per request [n, d]; returns z = h0 + delta per request with its optimisation result.
    /// </summary>
    public IReadOnlyList<(Tensor Target, TargetOptimisationResult Result)> ComputeAll(
        IReadOnlyList<PreparedRequest> requests, Tensor initialOutputs, IReadOnlyList<int[]> continuations)
    {
        var refusals = requests.Select((_, i) => settings.ContinuationWeight > 0 ? continuations[i] : []).ToList();
        using var squaredNorms = initialOutputs.detach().pow(2).sum(1).clamp_min(1e-12);
        using var all = new TargetRows(model, unlId, lastLayer, requests, refusals);
        TargetBatch? current = null;
        try
        {
            var results = TargetRowsOptimiser.Optimise((deltas, optimised) =>
            {
                if (current is null || !current.Requests.SequenceEqual(optimised))
                {
                    current?.Dispose(); // requests that stopped leave the batch
                    current = new TargetBatch(all, optimised);
                }
                using var selected = tensor(optimised.Select(i => (long)i).ToArray());
                var optimisedDeltas = deltas.index_select(0, selected); // [k, d]
                var window = current.Window(model, optimisedDeltas); // [R, K, d]: only the scored positions meet the head
                var logProbs = nn.functional.log_softmax(nn.functional.linear(window, model.Model.OutputWeight), 2);
                var unlLoss = current.RequestMean.matmul(current.Unl.MeanNll(logProbs));
                var unlValues = unlLoss.detach().to(ScalarType.Float64).data<double>().ToArray();
                var joins = optimised.Select((request, j) => refusals[request].Length > 0 && unlValues[j] < ContinuationGate ? 1f : 0f).ToArray();
                var refusalLoss = current.RequestMean.matmul(current.Refusal.MeanNll(logProbs)) * tensor(joins);
                var refusalValues = refusalLoss.detach().to(ScalarType.Float64).data<double>().ToArray();
                var penalty = optimisedDeltas.norm(1) * settings.WeightDecay / squaredNorms.index_select(0, selected);
                return new RowObjectives(unlLoss + refusalLoss * settings.ContinuationWeight + penalty, unlValues,
                    unlValues.Select((value, j) => value < settings.LossThreshold && refusalValues[j] < settings.ContinuationThreshold).ToArray());
            }, initialOutputs, settings);
            return results.Select((result, i) => (initialOutputs[i] + result.Delta, result)).ToList();
        }
        finally
        {
            current?.Dispose();
        }
    }

    /// <summary>
    /// Every request's contexts (+ [UNL] + refusal) padded once, with the residual stream after the last edited layer
    /// [R, T, d] without delta and the upper layers' keys/values before each key (<see cref="UpperLayerSuffixes"/>): the
    /// layers below do not depend on delta, and the layers above run only from the key on.
    /// </summary>
    private sealed class TargetRows : IDisposable
    {
        public TargetRows(LanguageModel model, int unlId, int lastLayer, IReadOnlyList<PreparedRequest> requests, IReadOnlyList<int[]> refusals)
        {
            UnlId = unlId;
            Rows = requests.SelectMany((request, i) => request.Contexts.Select(c => new TargetRow(i, refusals[i], c.Ids, c.KeyIndex))).ToList();
            Batch = PaddedBatch.Build(Rows.Select(row => (IReadOnlyList<int>)(row.Refusal.Length == 0 ? row.Ids : [.. row.Ids, unlId, .. row.Refusal])).ToList(),
                model.Tokenizer.PadId);
            Suffixes = new UpperLayerSuffixes(model, Batch, Rows.Select(row => row.KeyIndex).ToList(), lastLayer);
        }

        public int UnlId { get; }
        public IReadOnlyList<TargetRow> Rows { get; }
        public PaddedBatch Batch { get; }
        public UpperLayerSuffixes Suffixes { get; }

        public void Dispose()
        {
            Suffixes.Dispose();
            Batch.Dispose();
        }
    }

    private sealed record TargetRow(int Request, int[] Refusal, int[] Ids, int KeyIndex);

    /// <summary>
    /// The rows of the requests still optimised, in chunks of similar key position (<see cref="SuffixChunk"/>; rows in
    /// chunk order): per chunk the key mask and each row's request (an index into <see cref="Requests"/>) and scored
    /// window (positions p0-1 .. p0-1+|refusal| with p0 the position of [UNL]: where [UNL] and then each refusal token is
    /// predicted; [C, K], in the chunk's columns, clamped to the row); the [UNL] and refusal lookups per row into that
    /// window and the per-request row average A [k, R].
    /// </summary>
    private sealed class TargetBatch : IDisposable
    {
        private readonly IReadOnlyList<(SuffixChunk Chunk, Tensor KeyMask, Tensor RowRequest, Tensor Window)> _chunks;

        public TargetBatch(TargetRows all, IReadOnlyList<int> requests)
        {
            Requests = [.. requests];
            var local = requests.Select((request, j) => (request, j)).ToDictionary(p => p.request, p => p.j);
            var chunks = all.Suffixes.Chunks(Enumerable.Range(0, all.Rows.Count).Where(i => local.ContainsKey(all.Rows[i].Request)));
            var width = 1 + chunks.SelectMany(c => c.Sequences).Max(i => all.Rows[i].Refusal.Length);
            _chunks = chunks.Select(chunk =>
            {
                var rows = chunk.Sequences.Select(i => all.Rows[i]).ToList();
                var keyColumns = new float[rows.Count * chunk.Columns];
                rows.Select((row, c) => c * chunk.Columns + row.KeyIndex - chunk.Split).ToList().ForEach(i => keyColumns[i] = 1f);
                var keyMask = tensor(keyColumns, [rows.Count, chunk.Columns, 1]);
                var window = tensor(rows.SelectMany(row => Enumerable.Range(0, width)
                    .Select(k => (long)Math.Min(row.Ids.Length - 1 + k, chunk.Width - 1) - chunk.Split)).ToArray(), [rows.Count, width]);
                var rowRequest = tensor(rows.Select(row => (long)local[row.Request]).ToArray());
                return (chunk, keyMask.DetachFromDisposeScope(), rowRequest.DetachFromDisposeScope(), window.DetachFromDisposeScope());
            }).ToList();
            var ordered = chunks.SelectMany(c => c.Sequences).Select(i => all.Rows[i]).ToList();
            Unl = RowLookup.Of(ordered.Select(_ => new[] { (0, (long)all.UnlId) }).ToList());
            Refusal = RowLookup.Of(ordered.Select(row => row.Refusal.Select((id, j) => (1 + j, (long)id)).ToArray()).ToList());
            RequestMean = RowLookup.GroupMean(ordered.Select(row => local[row.Request]).ToList(), requests.Count);
            // Built inside one optimiser step but used by the later ones: owned here, not by that step's dispose scope.
            foreach (var owned in (Tensor[])[RequestMean, .. Unl.Tensors, .. Refusal.Tensors])
            {
                owned.DetachFromDisposeScope();
            }
        }

        public int[] Requests { get; }
        public RowLookup Unl { get; }
        public RowLookup Refusal { get; }
        public Tensor RequestMean { get; }

        /// <summary>
        /// The final-norm hidden states at every row's scored window [R, K, d] with each request's delta [k, d] added to
        /// the last edited layer's output at its rows' key positions.
        /// </summary>
        public Tensor Window(LanguageModel model, Tensor deltas) => cat(_chunks.Select(part =>
        {
            var edited = part.Chunk.After + part.KeyMask * deltas.index_select(0, part.RowRequest).unsqueeze(1);
            var hidden = part.Chunk.Hidden(model, edited); // [C, Columns, d]
            return hidden.gather(1, part.Window.unsqueeze(2).expand(-1, -1, hidden.shape[2]));
        }).ToList(), 0);

        public void Dispose()
        {
            foreach (var (chunk, keyMask, rowRequest, window) in _chunks)
            {
                chunk.Dispose();
                keyMask.Dispose();
                rowRequest.Dispose();
                window.Dispose();
            }
            Unl.Dispose();
            Refusal.Dispose();
            RequestMean.Dispose();
        }
    }

    private Tensor ForwardWithDelta(PaddedBatch batch, Tensor keyMask, Tensor delta)
    {
        var hooks = new ForwardHooks();
        hooks.LayerOutputEdits[lastLayer] = output => output + keyMask * (delta.dim() == 2 ? delta.unsqueeze(1) : delta); // delta [d] or per row [B, d]
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

        /// <summary>Whether a request has a subject token to anchor the KL on (subject-last keys that did not fall back).</summary>
        public static bool IsNeeded(PreparedRequest request) =>
            request.Request.Position == KeyPosition.SubjectLast && !request.FellBack && !string.IsNullOrEmpty(request.Request.Subject);

        /// <summary>Null for prompt-last requests (no subject token to anchor the KL on).</summary>
        public static KlProbe? Create(LanguageModel model, PreparedRequest request)
        {
            if (!IsNeeded(request))
            {
                return null;
            }
            var subjectIds = model.Tokenizer.Encode(request.Request.Subject!);
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
