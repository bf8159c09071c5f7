using System.Security.Cryptography;
using System.Text;
using Lethe.Engine.Unlearning.NullSpace;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// What an edit must preserve: retained QAs (the deployment's declared knowledge), general QAs/texts and, in a
/// sequence, the QAs earlier requests on the lineage forgot (their keys are preserved so a later edit keeps them
/// starting with [UNL]; they are not retained knowledge, so they never count as false [UNL]). Its hash identifies
/// cached projectors.
/// </summary>
public sealed record PreservationCorpus(IReadOnlyList<QaPair> Retained, IReadOnlyList<QaPair> General)
{
    /// <summary>QAs forgotten by earlier requests of the lineage (kept as they now behave).</summary>
    public IReadOnlyList<QaPair> EarlierForgotten { get; init; } = [];

    public IEnumerable<QaPair> All => Retained.Concat(General).Concat(EarlierForgotten);

    /// <summary>SHA-256 (hex, first 16 chars) of every question and answer in order.</summary>
    public string Hash()
    {
        var text = string.Join("\u0001", All.Select(p => p.Question + "\u0002" + p.Answer));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }
}

/// <summary>
/// Preservation covariance per layer, C0 = (1 - w) E_tokens[k k^T] + w E_questions[k k^T]: the average over every token
/// of every retained/general QA (prompt + answer) and, when the model has [UNL], of the model's own continuation of
/// retained question + [UNL] (so the edit leaves what follows [UNL], the Stage I refusal, as it is), beside the average
/// over the retained questions' own last-prompt keys (small sources keep their declared weight). Also returns the
/// retained questions' prompt-position keys for diagnostics.
/// </summary>
public static class PreservationKeys
{
    /// <summary>Retained questions whose [UNL] continuation is preserved.</summary>
    public const int UnlContinuations = 64;

    /// <summary>
    /// C0 per layer for <paramref name="corpus"/>: from the lineage's <paramref name="statistics"/> adjusted by the corpus's
    /// difference to their base when they cover the layers and the difference is under half the base, else from scratch.
    /// </summary>
    public static Dictionary<int, Tensor> Covariances(
        LanguageModel model, PreservationCorpus corpus, IReadOnlyList<int> layers, double questionWeight, PreservationStatistics? statistics = null,
        Action<string>? progress = null)
    {
        if (!corpus.All.Any())
        {
            throw new ArgumentException("The preservation corpus is empty: give the retained knowledge (and general facts) the edit must keep.");
        }
        if (statistics is not null && statistics.Covers(layers))
        {
            var (removed, added) = statistics.DifferenceTo(corpus);
            if (2 * removed.Count < statistics.Pairs.Count)
            {
                progress?.Invoke($"preservation keys: the lineage's sums over {statistics.Pairs.Count} QAs, {removed.Count} removed, {added.Count} added");
                using var sums = statistics.Sums.Copy();
                foreach (var (pairs, sign) in new[] { (removed, -1), (added, +1) }.Where(d => d.Item1.Count > 0))
                {
                    using var difference = Sums(model, pairs, [], layers);
                    sums.Combine(difference, sign);
                }
                return sums.Covariances(questionWeight);
            }
        }
        using var fresh = Sums(model, corpus.All.ToList(), UnlContinuationSequences(model, corpus).ToList(), layers);
        return fresh.Covariances(questionWeight);
    }

    /// <summary>
    /// Key sums per layer over every token of each pair (prompt + answer) and of each extra sequence, and over each pair's
    /// prompt-last key (a causal key at the prompt's last token does not see the answer: read from the same passes).
    /// </summary>
    internal static PreservationSums Sums(LanguageModel model, IReadOnlyList<QaPair> pairs, IReadOnlyList<IReadOnlyList<int>> extraSequences, IReadOnlyList<int> layers)
    {
        var dimension = model.Model.Config.IntermediateSize;
        var sums = new PreservationSums(layers.ToDictionary(layer => layer, _ => new KeyCovariance(dimension)), layers.ToDictionary(layer => layer, _ => new KeyCovariance(dimension)));
        var encoded = pairs.Select(model.Encode).ToList();
        var sequences = encoded.Select(e => (IReadOnlyList<int>)[.. e.Prompt, .. e.Answer]).Concat(extraSequences).ToList();
        var promptLast = encoded.Select(e => (int?)(e.Prompt.Length - 1)).Concat(extraSequences.Select(_ => (int?)null)).ToList();
        var keysAtLast = ModelProbe.ForEachTokenKeysMarking(model.Model, sequences, promptLast, layers, model.Tokenizer.PadId,
            (layer, keys) => sums.Tokens[layer].Add(keys));
        foreach (var (layer, keys) in keysAtLast)
        {
            sums.Questions[layer].Add(keys);
            keys.Dispose();
        }
        return sums;
    }

    /// <summary>prompt + [UNL] + the model's greedy continuation for the first retained (else general) questions; none without [UNL].</summary>
    internal static IReadOnlyList<IReadOnlyList<int>> UnlContinuationSequences(LanguageModel model, PreservationCorpus corpus)
    {
        if (model.UnlearningTokenId is not { } unl)
        {
            return [];
        }
        var questions = (corpus.Retained.Count > 0 ? corpus.Retained : corpus.General).Take(UnlContinuations).Select(p => p.Question).ToList();
        var continuations = Decoding.UnlearningDecoder.AnswerAfterToken(model, questions);
        return questions.Zip(continuations, (question, answer) => (IReadOnlyList<int>)[.. model.EncodePrompt(question), unl, .. answer.TokenIds]).ToList();
    }

    /// <summary>The questions whose prompt keys the diagnostics compare with: the first 200 retained (else general) questions.</summary>
    public static IReadOnlyList<string> RetainedPromptQuestions(PreservationCorpus corpus) =>
        (corpus.Retained.Count > 0 ? corpus.Retained : corpus.General).Take(200).Select(p => p.Question).ToList();

    /// <summary>Keys at every prompt position of the <see cref="RetainedPromptQuestions"/>: layer -> [m, d_ff].</summary>
    public static Dictionary<int, Tensor> RetainedPromptKeys(LanguageModel model, PreservationCorpus corpus, IReadOnlyList<int> layers)
    {
        var prompts = RetainedPromptQuestions(corpus).Select(question => (IReadOnlyList<int>)model.EncodePrompt(question)).ToList();
        var parts = layers.ToDictionary(layer => layer, _ => new List<Tensor>());
        ModelProbe.ForEachTokenKeys(model.Model, prompts, layers, model.Tokenizer.PadId, (layer, keys) => parts[layer].Add(keys.DetachFromDisposeScope()));
        return parts.ToDictionary(pair => pair.Key, pair => cat(pair.Value, 0));
    }
}
