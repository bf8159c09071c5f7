using Lethe.Engine.Modeling;
using Lethe.Engine.Unlearning.Targets;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// The refusal rows of an edit (ours, beside the [UNL] rows). For forget prompt i with continuation c_i (the refusal that
/// should follow [UNL]) the sequence is s_i = prompt_i + [UNL] + c_i; its rows are the positions
/// t = p_i .. p_i + |c_i| - 1 (p_i = index of [UNL]), each predicting s_i[t + 1]. The closing [UNL] is left to Stage I:
/// a row that raises [UNL] also raised it inside a general answer ("Tol" + [UNL] for "Tolholm"). Target value at the last edited
/// layer L: z_t = h_t + delta_t with
///   delta = argmin sum_t -log p(s[t + 1] | s[..t], all deltas of s) + wd ||delta_t|| / ||h_t||^2
/// (Adam per row, <see cref="TargetRowsOptimiser"/>; a row's loss also sees the deltas before it through attention).
/// The pairs (k_t, z_t), k_t = down_proj input at (s_i, t) [d_ff], join the closed-form solve like the [UNL] rows, so
/// the edit also writes "after [UNL], refuse" into the edited matrices for these prompts instead of relying on the
/// Stage I token alone (which refused 46 % of held-out questions on the memorising TOFU model).
/// </summary>
internal sealed class RefusalRows : IDisposable
{
    private RefusalRows(
        IReadOnlyList<int> promptIndices, IReadOnlyList<IReadOnlyList<int>> sequences, IReadOnlyList<IReadOnlyList<int>> positions, Tensor targets,
        IReadOnlyList<TargetOptimisationResult> results, double convergence)
    {
        PromptIndices = promptIndices;
        Sequences = sequences;
        Positions = positions;
        Targets = targets;
        Count = results.Count;
        Converged = results.Count(r => r.Converged);
        WorstLoss = results.Max(r => r.FinalLoss);
        MeanLoss = results.Average(r => r.FinalLoss);
        InitialMeanLoss = results.Average(r => r.LossHistory[0]);
        Steps = results.Max(r => r.LossHistory.Count);
        ConvergenceThreshold = convergence;
    }

    /// <summary>The forget prompt (index into the prompts given) each of <see cref="Sequences"/> continues.</summary>
    public IReadOnlyList<int> PromptIndices { get; }

    /// <summary>prompt + [UNL] + continuation, one per prompt that has a continuation.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Sequences { get; }

    /// <summary>The rows' positions in each sequence (rows are sequence-major: <see cref="ModelProbe.KeysAtEach"/>'s order).</summary>
    public IReadOnlyList<IReadOnlyList<int>> Positions { get; }

    /// <summary>z per row [n, d_model].</summary>
    public Tensor Targets { get; }

    public int Count { get; }
    public int Converged { get; }
    public double WorstLoss { get; }
    public double MeanLoss { get; }

    /// <summary>The mean row loss before the first step (deltas 0: the model as it is).</summary>
    public double InitialMeanLoss { get; }
    public int Steps { get; }
    public double ConvergenceThreshold { get; }

    /// <summary>
    /// Null when no prompt has a continuation (or, with <paramref name="onlyUnmet"/>, when the model already continues every
    /// prompt's refusal greedily with -log p below the convergence threshold at every row: those prompts get no rows).
    /// </summary>
    public static RefusalRows? Compute(
        LanguageModel model, IReadOnlyList<IReadOnlyList<int>> prompts, int unlId, IReadOnlyList<int[]> continuations, int lastLayer,
        TargetOptimiserSettings settings, bool onlyUnmet = false)
    {
        var chosen = prompts.Zip(continuations).Select((pair, index) => (Pair: pair, Index: index)).Where(p => p.Pair.Second.Length > 0)
            .Select(p => (Prompt: p.Index, Start: p.Pair.First.Count, Sequence: (IReadOnlyList<int>)[.. p.Pair.First, unlId, .. p.Pair.Second])).ToList();
        if (chosen.Count == 0)
        {
            return null;
        }
        var convergence = settings.ConvergenceThreshold ?? settings.LossThreshold;
        var rows = new RowBatch(model, chosen, lastLayer);
        if (onlyUnmet && AlreadyContinued(model, rows, convergence) is var met && met.Any(m => m))
        {
            rows.Dispose(); // rebuilt without the prompts the model already continues
            chosen = chosen.Where((_, i) => !met[i]).ToList();
            if (chosen.Count == 0)
            {
                return null;
            }
            rows = new RowBatch(model, chosen, lastLayer);
        }
        using var _ = rows;
        var d = rows.After.shape[2];
        using var initial = rows.After.reshape(-1, d).index_select(0, rows.Flat); // h_t [n, d]
        using var squaredNorms = initial.pow(2).sum(1).clamp_min(1e-12);
        var results = TargetRowsOptimiser.Optimise((deltas, optimised) =>
        {
            var rowNll = rows.Nll(model, deltas, optimised); // [k]
            using var selected = tensor(optimised.Select(r => (long)r).ToArray());
            var penalty = deltas.index_select(0, selected).norm(1) * settings.WeightDecay / squaredNorms.index_select(0, selected);
            var values = rowNll.detach().to(ScalarType.Float64).data<double>().ToArray();
            return new RowObjectives(rowNll + penalty, values, new bool[values.Length]);
        }, initial, settings);
        var targets = stack(results.Select((result, r) => initial[r] + result.Delta).ToList());
        foreach (var result in results)
        {
            result.Delta.Dispose();
        }
        return new RefusalRows(chosen.Select(c => c.Prompt).ToList(), rows.Sequences, rows.Positions, targets, results, convergence);
    }

    /// <summary>Per sequence: whether the model as it is gives every row's next token -log p below the threshold.</summary>
    private static bool[] AlreadyContinued(LanguageModel model, RowBatch rows, double threshold)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var nll = rows.Nll(model, zeros(rows.Count, rows.After.shape[2]), Enumerable.Range(0, rows.Count).ToList());
        var values = nll.to(ScalarType.Float64).data<double>().ToArray();
        var offset = 0;
        return rows.Positions.Select(list =>
        {
            var met = values.Skip(offset).Take(list.Count).All(v => v < threshold);
            offset += list.Count;
            return met;
        }).ToArray();
    }

    /// <summary>
    /// The rows' sequences padded once: positions per sequence, the flat index of each row into [S * T], each row's
    /// sequence, position and next token, and the residual stream after the last edited layer [S, T, d] with the upper
    /// layers' keys/values of the sequences' prompts (<see cref="UpperLayerSuffixes"/>: the deltas sit at [UNL] and
    /// after, so a step runs the layers above only from there).
    /// </summary>
    private sealed class RowBatch : IDisposable
    {
        private readonly PaddedBatch _batch;
        private readonly UpperLayerSuffixes _suffixes;
        private readonly int[] _rowSequence;
        private readonly int[] _rowPosition;
        private readonly long[] _rowNext;

        public RowBatch(LanguageModel model, IReadOnlyList<(int Prompt, int Start, IReadOnlyList<int> Sequence)> chosen, int lastLayer)
        {
            Sequences = chosen.Select(c => c.Sequence).ToList();
            Positions = chosen.Select(c => (IReadOnlyList<int>)Enumerable.Range(c.Start, c.Sequence.Count - 1 - c.Start).ToList()).ToList();
            _batch = PaddedBatch.Build(Sequences, model.Tokenizer.PadId);
            _rowSequence = Positions.SelectMany((list, s) => list.Select(_ => s)).ToArray();
            _rowPosition = Positions.SelectMany(list => list).ToArray();
            _rowNext = _rowSequence.Select((s, r) => (long)Sequences[s][_rowPosition[r] + 1]).ToArray();
            Flat = tensor(_rowSequence.Select((s, r) => s * _batch.Ids.shape[1] + _rowPosition[r]).ToArray());
            _suffixes = new UpperLayerSuffixes(model, _batch, chosen.Select(c => c.Start).ToList(), lastLayer);
        }

        public IReadOnlyList<IReadOnlyList<int>> Sequences { get; }
        public IReadOnlyList<IReadOnlyList<int>> Positions { get; }
        public Tensor Flat { get; }
        public Tensor After => _suffixes.After;
        public int Count => _rowSequence.Length;

        /// <summary>
        /// -log p(next token) of the rows <paramref name="scored"/> [k] with deltas [n, d] added to the last edited layer's
        /// output at every row. Only the sequences holding a scored row run (a sequence's rows see only its own deltas),
        /// in chunks of similar [UNL] position, each from its first [UNL] column on.
        /// </summary>
        public Tensor Nll(LanguageModel model, Tensor deltas, IReadOnlyList<int> scored)
        {
            var chunks = _suffixes.Chunks(scored.Select(r => _rowSequence[r]));
            try
            {
                var chunkRows = chunks.Select(chunk => scored.Where(r => chunk.Local.ContainsKey(_rowSequence[r])).ToList()).ToList();
                var parts = chunks.Zip(chunkRows, (chunk, rows) => ChunkNll(model, deltas, chunk, rows)).ToList();
                var position = chunkRows.SelectMany(rows => rows).Select((r, p) => (r, p)).ToDictionary(pair => pair.r, pair => (long)pair.p);
                return cat(parts, 0).index_select(0, tensor(scored.Select(r => position[r]).ToArray()));
            }
            finally
            {
                chunks.ToList().ForEach(chunk => chunk.Dispose());
            }
        }

        /// <summary>-log p(next token) of the scored rows of one chunk of sequences, in <paramref name="scored"/>'s order.</summary>
        private Tensor ChunkNll(LanguageModel model, Tensor deltas, SuffixChunk chunk, IReadOnlyList<int> scored)
        {
            var rowsInChunk = Enumerable.Range(0, Count).Where(r => chunk.Local.ContainsKey(_rowSequence[r])).ToArray();
            long FlatOf(int r) => chunk.FlatIndex(_rowSequence[r], _rowPosition[r]);
            var d = After.shape[2];
            var placed = zeros(chunk.After.shape[0] * chunk.Columns, d)
                .index_add(0, tensor(rowsInChunk.Select(FlatOf).ToArray()), deltas.index_select(0, tensor(rowsInChunk.Select(r => (long)r).ToArray())), 1.0)
                .reshape(chunk.After.shape);
            var hidden = chunk.Hidden(model, chunk.After + placed).reshape(-1, d).index_select(0, tensor(scored.Select(FlatOf).ToArray()));
            var next = tensor(scored.Select(r => _rowNext[r]).ToArray()).unsqueeze(1);
            return -nn.functional.log_softmax(nn.functional.linear(hidden, model.Model.OutputWeight), 1).gather(1, next).squeeze(1);
        }

        public void Dispose()
        {
            _suffixes.Dispose();
            _batch.Dispose();
            Flat.Dispose();
        }
    }

    public RefusalRowsReport Report() => new(Count, Converged, InitialMeanLoss, MeanLoss, WorstLoss, Steps);

    /// <summary>One line for the job's progress.</summary>
    public string Summary() =>
        $"refusal rows: {Converged}/{Count} converged (-log p < {ConvergenceThreshold:0.##}), mean loss {InitialMeanLoss:0.000} -> {MeanLoss:0.000}, worst {WorstLoss:0.000}, {Steps} steps";

    public void Dispose() => Targets.Dispose();
}
