using Lethe.Engine.Unlearning.NullSpace;
using Lethe.Engine.Unlearning.Storage;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// The preservation key sums of one lineage, computed once on the model after Stage I -- as AlphaEdit computes C0 once
/// per model and reuses it through a sequence of edits. Per edited layer: S_tok = sum k k^T over every token of the
/// base corpus (and of the [UNL] continuations of its first retained questions) and S_q = sum over the prompt-last keys
/// of its questions, with their counts. An edit whose corpus differs from the base (a request's own QAs no longer
/// retained, earlier requests' forgotten QAs added) takes S = S_base - S(removed pairs) + S(added pairs), the keys of the
/// difference read on the current model, then C0 = (1 - w) S_tok / n_tok + w S_q / n_q. Also keeps (in memory) the
/// retained questions' prompt keys the edit diagnostics compare forget keys with.
/// </summary>
public sealed class PreservationStatistics : IDisposable
{
    private const string MetadataStem = "statistics";
    private readonly HashSet<string> _pairKeys;

    private readonly IReadOnlyList<string> _promptQuestions;
    private readonly Dictionary<int, TorchSharp.torch.Tensor>? _promptKeys;
    private readonly Dictionary<(int Layer, double QuestionWeight, EigenThreshold Threshold), NullSpaceProjector> _baseProjectors = [];

    internal PreservationStatistics(
        IReadOnlyList<QaPair> pairs, PreservationSums sums, IReadOnlyList<string>? promptQuestions = null, Dictionary<int, TorchSharp.torch.Tensor>? promptKeys = null)
    {
        Pairs = pairs;
        Sums = sums;
        _promptQuestions = promptQuestions ?? [];
        _promptKeys = promptKeys;
        _pairKeys = pairs.Select(KeyOf).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The base corpus the sums cover (retained, general), in order.</summary>
    public IReadOnlyList<QaPair> Pairs { get; }

    internal PreservationSums Sums { get; }

    public IReadOnlyList<int> Layers => Sums.Layers;

    /// <summary>Sums of <paramref name="corpus"/> (retained + general) on <paramref name="model"/>, with the [UNL] continuations.</summary>
    public static PreservationStatistics Compute(LanguageModel model, PreservationCorpus corpus, IReadOnlyList<int> layers)
    {
        var pairs = corpus.Retained.Concat(corpus.General).ToList();
        return new PreservationStatistics(pairs, PreservationKeys.Sums(model, pairs, PreservationKeys.UnlContinuationSequences(model, corpus), layers),
            PreservationKeys.RetainedPromptQuestions(corpus), PreservationKeys.RetainedPromptKeys(model, corpus, layers));
    }

    /// <summary>
    /// The stored prompt keys of the retained questions (layer -> [m, d_ff], owned by these statistics) when the corpus
    /// samples the same questions and they cover the layers; null otherwise (after a load, or another retained set).
    /// </summary>
    public IReadOnlyDictionary<int, TorchSharp.torch.Tensor>? RetainedPromptKeysFor(PreservationCorpus corpus, IReadOnlyList<int> layers) =>
        _promptKeys is not null && layers.All(_promptKeys.ContainsKey) && PreservationKeys.RetainedPromptQuestions(corpus).SequenceEqual(_promptQuestions)
            ? _promptKeys
            : null;

    public bool Covers(IReadOnlyList<int> layers) => layers.All(Sums.Tokens.ContainsKey);

    /// <summary>Whether <paramref name="corpus"/> is the base corpus: no pair removed, none added.</summary>
    public bool IsBase(PreservationCorpus corpus) => DifferenceTo(corpus) is { Removed.Count: 0, Added.Count: 0 };

    /// <summary>
    /// The null-space projector of the base corpus at <paramref name="layer"/> (C0 from the sums alone) -- AlphaEdit
    /// builds P once per model; here the one <see cref="BuildBaseProjectors"/> made with the sums is handed over (once:
    /// the caller owns it, and no [d_ff, d_ff] copy stays behind), else one is built now. It serves an edit whose corpus
    /// <see cref="IsBase"/>: a lineage's first request (whose rounds share it).
    /// </summary>
    public NullSpaceProjector BaseProjector(int layer, double questionWeight, EigenThreshold threshold)
    {
        if (_baseProjectors.Remove((layer, questionWeight, threshold), out var built))
        {
            return built;
        }
        using var covariance = Sums.Covariance(layer, questionWeight);
        return NullSpaceProjector.Build(covariance, threshold);
    }

    /// <summary>Builds the base corpus's projectors of <paramref name="layers"/> now, with the sums (once per lineage).</summary>
    public void BuildBaseProjectors(IReadOnlyList<int> layers, double questionWeight, EigenThreshold threshold)
    {
        var missing = layers.Where(layer => !_baseProjectors.ContainsKey((layer, questionWeight, threshold))).ToList();
        var covariances = missing.ToDictionary(layer => layer, layer => Sums.Covariance(layer, questionWeight));
        try
        {
            foreach (var (layer, projector) in LayerProjectors.Build(covariances, threshold))
            {
                _baseProjectors[(layer, questionWeight, threshold)] = projector;
            }
        }
        finally
        {
            foreach (var covariance in covariances.Values)
            {
                covariance.Dispose();
            }
        }
    }

    /// <summary>Base pairs the corpus no longer holds and corpus pairs the base lacks.</summary>
    public (IReadOnlyList<QaPair> Removed, IReadOnlyList<QaPair> Added) DifferenceTo(PreservationCorpus corpus)
    {
        var all = corpus.All.ToList();
        var current = all.Select(KeyOf).ToHashSet(StringComparer.Ordinal);
        return (Pairs.Where(p => !current.Contains(KeyOf(p))).ToList(), all.Where(p => !_pairKeys.Contains(KeyOf(p))).ToList());
    }

    /// <summary>Writes the sums (one file pair per layer and kind) and the base corpus under <paramref name="folder"/>.</summary>
    public void Save(string folder)
    {
        foreach (var layer in Layers)
        {
            Sums.Tokens[layer].Save(Path.Combine(folder, $"tokens-L{layer}"));
            Sums.Questions[layer].Save(Path.Combine(folder, $"questions-L{layer}"));
        }
        File.WriteAllText(TensorFileStore.MetadataPath(Path.Combine(folder, MetadataStem)),
            System.Text.Json.JsonSerializer.Serialize(new StatisticsMetadata([.. Layers], [.. Pairs])));
    }

    /// <summary>The statistics saved in <paramref name="folder"/>, or null when there are none.</summary>
    public static PreservationStatistics? Load(string folder)
    {
        var metadata = TensorFileStore.ReadJsonOrNull<StatisticsMetadata>(
            TensorFileStore.MetadataPath(Path.Combine(folder, MetadataStem)), "preservation statistics metadata");
        if (metadata is null)
        {
            return null;
        }
        var tokens = metadata.Layers.ToDictionary(layer => layer, layer => KeyCovariance.Load(Path.Combine(folder, $"tokens-L{layer}")));
        var questions = metadata.Layers.ToDictionary(layer => layer, layer => KeyCovariance.Load(Path.Combine(folder, $"questions-L{layer}")));
        return new PreservationStatistics(metadata.Pairs, new PreservationSums(tokens, questions));
    }

    public void Dispose()
    {
        Sums.Dispose();
        foreach (var projector in _baseProjectors.Values)
        {
            projector.Dispose();
        }
        foreach (var keys in _promptKeys?.Values ?? Enumerable.Empty<TorchSharp.torch.Tensor>())
        {
            keys.Dispose();
        }
    }

    private static string KeyOf(QaPair pair) => pair.Question + "\u0002" + pair.Answer;

    private sealed record StatisticsMetadata(List<int> Layers, List<QaPair> Pairs);
}

/// <summary>Per layer the all-token key sums and the prompt-last (question) key sums of a set of sequences.</summary>
internal sealed record PreservationSums(Dictionary<int, KeyCovariance> Tokens, Dictionary<int, KeyCovariance> Questions) : IDisposable
{
    public IReadOnlyList<int> Layers => [.. Tokens.Keys.Order()];

    public PreservationSums Copy() => new(
        Tokens.ToDictionary(p => p.Key, p => p.Value.Clone()), Questions.ToDictionary(p => p.Key, p => p.Value.Clone()));

    /// <summary>this += other (sign +1) or this -= other (sign -1), layer by layer.</summary>
    public void Combine(PreservationSums other, int sign)
    {
        foreach (var layer in Layers)
        {
            Apply(Tokens[layer], other.Tokens[layer]);
            Apply(Questions[layer], other.Questions[layer]);
        }
        void Apply(KeyCovariance target, KeyCovariance source)
        {
            if (sign > 0)
            {
                target.Merge(source);
            }
            else
            {
                target.Subtract(source);
            }
        }
    }

    /// <summary>C0 per layer = (1 - w) S_tok / n_tok + w S_q / n_q, [d_ff, d_ff] fp64.</summary>
    public Dictionary<int, TorchSharp.torch.Tensor> Covariances(double questionWeight) =>
        Layers.ToDictionary(layer => layer, layer => Covariance(layer, questionWeight));

    /// <summary>C0 of one layer = (1 - w) S_tok / n_tok + w S_q / n_q, [d_ff, d_ff] fp64.</summary>
    public TorchSharp.torch.Tensor Covariance(int layer, double questionWeight) =>
        KeyCovariance.WeightedUnion([(Tokens[layer], 1 - questionWeight), (Questions[layer], questionWeight)]);

    public void Dispose()
    {
        foreach (var covariance in Tokens.Values.Concat(Questions.Values))
        {
            covariance.Dispose();
        }
    }
}
