using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Modeling.Inference;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// What should follow [UNL] on each forget prompt, and the keys that read it. The continuation is the model's own greedy
/// text after prompt + [UNL] (up to the closing [UNL] or EOS) when it is a refusal, else the lineage's refusal.
/// C_r = w * sum_j k_j k_j^T ([d_ff, d_ff]) over one layer's keys k_j at positions |prompt| .. |prompt| + |c| - 1 of
/// prompt + [UNL] + c: added to the solve's kept-key term it asks the update to leave those outputs as they are (least
/// squares, like C_p), so the edit does not raise [UNL] inside the refusal or turn it back into the answer.
/// </summary>
internal static class ContinuationKeys
{
    private const int MaxContinuationTokens = 24;

    /// <summary>Per prompt the ids after [UNL] (no [UNL], no EOS); empty lists when there is no lineage refusal.</summary>
    public static IReadOnlyList<int[]> Continuations(
        LanguageModel model, IReadOnlyList<IReadOnlyList<int>> prompts, int unlId, IReadOnlyList<int>? refusal, RefusalDetector detector)
    {
        if (refusal is not { Count: > 0 })
        {
            return prompts.Select(_ => Array.Empty<int>()).ToList();
        }
        // The lineage's refusal closed by [UNL] is the draft: where the model continues it, one forward pass decides.
        var generated = DraftedGreedy.Generate(model.Model, prompts.Select(p => (int[])[.. p, unlId]).ToList(),
            prompts.Select(_ => (int[])[.. refusal, unlId]).ToList(), MaxContinuationTokens, model.StopIds, model.Tokenizer.PadId,
            stopAfter: (tokens, _) => tokens[^1] == unlId);
        return generated.Select(ids =>
        {
            var own = ids.Where(id => id != unlId).ToArray();
            return own.Length > 0 && detector.IsRefusal(model.DecodeAnswer(own)) ? own : [.. refusal];
        }).ToList();
    }

    /// <summary>Null when every continuation is empty or the weight is 0.</summary>
    public static Tensor? Covariance(
        LanguageModel model, IReadOnlyList<IReadOnlyList<int>> prompts, int unlId, IReadOnlyList<int[]> continuations, int layer, double weight)
    {
        if (weight <= 0 || continuations.All(c => c.Length == 0))
        {
            return null;
        }
        var sequences = prompts.Zip(continuations).Select(pair => (IReadOnlyList<int>)[.. pair.First, unlId, .. pair.Second]).ToList();
        var positions = prompts.Zip(sequences).Select(pair => (IReadOnlyList<int>)Enumerable.Range(pair.First.Count, pair.Second.Count - pair.First.Count).ToList()).ToList();
        var keys = ModelProbe.KeysAtEach(model.Model, sequences, positions, [layer], model.Tokenizer.PadId)[layer];
        using var _ = keys;
        return keys.T.matmul(keys).mul_(weight);
    }
}
