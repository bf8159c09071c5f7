using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// What should follow [UNL] on each forget prompt, and the keys that read it. The continuation is the lineage's refusal
/// (Stage I's target, the refusal the model found most likely) on every prompt. (Until the fourth session it was the
/// model's own greedy text after prompt + [UNL] when that was a refusal: a decode of up to 24 tokens per prompt that on
/// the memorising TOFU model found either this refusal (38 of 100 prompts) or a drift into other text, sometimes the
/// refusal with text after it, which the detector's ROUGE-L recall still counted as a refusal and the rows then wrote.)
/// C_r = w * sum_j k_j k_j^T ([d_ff, d_ff]) over one layer's keys k_j at positions |prompt| .. |prompt| + |c| - 1 of
/// prompt + [UNL] + c: added to the solve's kept-key term it asks the update to leave those outputs as they are (least
/// squares, like C_p), so the edit does not raise [UNL] inside the refusal or turn it back into the answer.
/// </summary>
internal static class ContinuationKeys
{
    /// <summary>Per prompt the ids after [UNL] (no [UNL], no EOS); empty lists when there is no lineage refusal.</summary>
    public static IReadOnlyList<int[]> Continuations(IReadOnlyList<IReadOnlyList<int>> prompts, IReadOnlyList<int>? refusal) =>
        prompts.Select(_ => refusal is { Count: > 0 } ? refusal.ToArray() : []).ToList();

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
