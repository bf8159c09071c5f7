using TorchSharp;
using Lethe.Engine.Modeling;
using Lethe.Engine.Unlearning.UniErase;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>
/// Runs one Stage I phase: seeded shuffles, batches of right-padded examples, loss = mean CE of the shifted labels
/// (logits at t score label t+1), gradient of the phase's matrix, Adam on the [UNL] row only. Phase C adds
/// N(0, (s std(W))^2) to every edited down_proj W before the forward and restores W after the backward. With an
/// input-row radius R > 0 the input row's Adam steps are lr * R / sqrt(d) and the row is put back on the sphere after each.
/// </summary>
internal sealed class StageOnePhaseRunner(
    LlamaForCausalLM model, int unlId, StageOneSettings settings, StageOnePhase phase, int phaseIndex, double inputRowRadius = 0)
{
    private double SphereRadius => phase.Row == TokenRow.Input ? inputRowRadius : 0;

    public StageOnePhaseReport Run(IReadOnlyList<StageOneExample> examples, Action<string>? progress)
    {
        var weight = phase.Row == TokenRow.Input ? model.EmbeddingWeight : model.OutputWeight;
        var learningRate = SphereRadius > 0 ? phase.LearningRate * SphereRadius / Math.Sqrt(weight.shape[1]) : phase.LearningRate;
        using var adam = new RowAdam(weight.shape[1], learningRate);
        using var generator = new Generator(unchecked((ulong)(settings.Seed * 31 + phaseIndex)));
        var noiseLayers = phase.NoiseOnEditedLayers ? settings.EditedLayers : [];
        var epochs = phase.NoiseOnEditedLayers ? phase.Epochs * Math.Max(1, noiseLayers.Count) : phase.Epochs;
        weight.requires_grad_(true);
        model.train();
        var steps = 0;
        var epochLoss = 0.0;
        try
        {
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                var order = Enumerable.Range(0, examples.Count).ToArray();
                new Random(unchecked((int)(settings.Seed * 7919 + phaseIndex * 104729 + epoch))).Shuffle(order);
                epochLoss = 0;
                var batches = order.Chunk(settings.BatchSize).ToList();
                foreach (var batchOrder in batches)
                {
                    var noisyLayer = noiseLayers.Count == 0 ? (int?)null : noiseLayers[epoch % noiseLayers.Count];
                    epochLoss += Step(weight, adam, batchOrder.Select(i => examples[i]).ToList(), noisyLayer, generator) / batches.Count;
                    steps++;
                }
                progress?.Invoke($"Stage I phase {phase.Name} ({phase.Row} row) epoch {epoch + 1}/{epochs}: loss {epochLoss:0.0000}");
            }
        }
        finally
        {
            weight.requires_grad_(false);
            model.eval();
        }
        return new StageOnePhaseReport(phase.Name, phase.Row.ToString(), steps, epochLoss);
    }

    private double Step(TorchSharp.Modules.Parameter weight, RowAdam adam, IReadOnlyList<StageOneExample> batch, int? noisyLayer, Generator generator)
    {
        using var scope = NewDisposeScope();
        weight.grad?.zero_();
        var restore = noisyLayer is { } layer ? AddNoise(model.DownProjWeight(layer), generator) : null;
        try
        {
            var loss = Loss(batch);
            loss.backward();
            adam.Step(weight, unlId);
            if (SphereRadius > 0)
            {
                InputRowSphere.Project(weight, unlId, SphereRadius);
            }
            return loss.ToDouble();
        }
        finally
        {
            if (restore is not null && noisyLayer is { } noisy)
            {
                using var _ = no_grad();
                model.DownProjWeight(noisy).copy_(restore);
            }
        }
    }

    /// <summary>W += N(0, (s std(W))^2); returns the clean W to restore.</summary>
    private Tensor AddNoise(Tensor downProj, Generator generator)
    {
        using var _ = no_grad();
        var clean = downProj.clone();
        var scale = settings.NoiseScale * downProj.std().ToDouble();
        downProj.add_(randn(downProj.shape, generator: generator) * scale);
        return clean;
    }

    /// <summary>
    /// Weighted CE of the shifted labels: sum_t w_t CE(logits[t], label[t+1]) / sum_t w_t over supervised positions, with
    /// w = <see cref="StageOneSettings.FirstTokenWeight"/> on each sequence's first supervised token (the answer's first
    /// token is where the question's own answer competes with the refusal) and 1 elsewhere.
    /// </summary>
    private Tensor Loss(IReadOnlyList<StageOneExample> batch)
    {
        using var padded = PaddedBatch.Build(batch.Select(e => (IReadOnlyList<int>)e.InputIds.Select(id => (int)id).ToArray()).ToList(), 0);
        var width = padded.Ids.shape[1];
        var labels = new long[batch.Count * width];
        var weights = new float[batch.Count * width];
        Array.Fill(labels, StageOneExample.IgnoreIndex);
        for (var row = 0; row < batch.Count; row++)
        {
            Array.Copy(batch[row].Labels, 0, labels, row * width, batch[row].Labels.Length);
            var first = Array.FindIndex(batch[row].Labels, label => label != StageOneExample.IgnoreIndex);
            for (var t = first; t >= 0 && t < batch[row].Labels.Length; t++)
            {
                weights[row * width + t] = batch[row].Labels[t] == StageOneExample.IgnoreIndex ? 0f : t == first ? (float)settings.FirstTokenWeight : 1f;
            }
        }
        using var labelTensor = tensor(labels, [batch.Count, width]);
        using var weightTensor = tensor(weights, [batch.Count, width]);
        var logits = model.Forward(padded.Ids, padded.Mask);
        var perToken = nn.functional.cross_entropy(
            logits[.., ..^1].reshape(-1, logits.shape[^1]), labelTensor[.., 1..].reshape(-1),
            ignore_index: StageOneExample.IgnoreIndex, reduction: nn.Reduction.None);
        var shiftedWeights = weightTensor[.., 1..].reshape(-1);
        return (perToken * shiftedWeights).sum() / shiftedWeights.sum().clamp_min(1e-6);
    }
}
