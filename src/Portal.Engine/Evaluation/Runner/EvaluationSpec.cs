using Lethe.Engine.Evaluation.Data;

namespace Lethe.Engine.Evaluation.Runner;

/// <summary>
/// What one evaluation run measures: which sets, how many items of each (the first N, TOFU's convention), the prompt
/// format (null = the model's own), greedy generation length, batch size, the forget split, an optional reference log
/// for forget quality / PrivLeak, and the refusal sentences. Loadable from JSON (<see cref="EvaluationSpecJson"/>).
/// </summary>
public sealed record EvaluationSpec
{
    public const string DemoPreset = "demo";
    public const string TofuPreset = "tofu";

    /// <summary>Every set a run can evaluate, in evaluation order.</summary>
    public static IReadOnlyList<string> AllSets { get; } =
    [
        EvaluationSetNames.Forget, EvaluationSetNames.ForgetParaphrased, EvaluationSetNames.Retain,
        EvaluationSetNames.RealAuthors, EvaluationSetNames.WorldFacts, EvaluationSetNames.Holdout,
    ];

    /// <summary>Free-form name, written to the run file ("demo", "tofu", or the user's own).</summary>
    public string Name { get; init; } = "custom";

    /// <summary>Sets to evaluate; "holdout" adds Min-K% membership inference (forget vs holdout).</summary>
    public IReadOnlyList<string> Sets { get; init; } = AllSets;

    /// <summary>Items per set (the first N of each file); null = every item.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Per-set item limits that override <see cref="MaxItems"/> (set name → N).</summary>
    public IReadOnlyDictionary<string, int> MaxItemsBySet { get; init; } = new Dictionary<string, int>();

    /// <summary>Prompt format name (plain-qa, llama2-chat, …); null = the format stored with the model.</summary>
    public string? PromptFormat { get; init; }

    public int MaxNewTokens { get; init; } = 200;

    public int BatchSize { get; init; } = 16;

    /// <summary>forget01 / forget05 / forget10: picks forgetXX_perturbed.json and holdoutXX.json.</summary>
    public string ForgetSplit { get; init; } = "forget10";

    /// <summary>Reference log (TOFU_EVAL.json, open-unlearning's, or legacy eval_log_aggregated.json) for forget quality.</summary>
    public string? Reference { get; init; }

    /// <summary>Refusal sentence file (JSON array, or one sentence per line like TOFU's idontknow.jsonl), relative to the data folder.</summary>
    public string? RefusalsFile { get; init; }

    /// <summary>Refusal sentences given inline; used together with <see cref="RefusalsFile"/>. Neither = Lethe's own sentences.</summary>
    public IReadOnlyList<string> RefusalSentences { get; init; } = [];

    /// <summary>ROUGE-L recall against a refusal sentence at or above which a generation counts as a refusal.</summary>
    public double RefusalRougeThreshold { get; init; } = Metrics.RefusalDetector.DefaultRougeThreshold;

    /// <summary>Holdout file (non-members for Min-K% MIA) relative to the data folder; null = holdoutXX.json of the forget split.</summary>
    public string? HoldoutFile { get; init; }

    /// <summary>Our demo world folder: every item of every set, forget10, the world's own refusals.json.</summary>
    public static EvaluationSpec Demo { get; } = new() { Name = DemoPreset, RefusalsFile = "refusals.json" };

    /// <summary>TOFU: forget10 + retain + real_authors + world_facts (+ paraphrased forget, holdout10), first 300 items per set, idontknow.jsonl.</summary>
    public static EvaluationSpec Tofu { get; } = new() { Name = TofuPreset, MaxItems = 300, RefusalsFile = "idontknow.jsonl" };

    public static EvaluationSpec Preset(string name) => name.ToLowerInvariant() switch
    {
        DemoPreset => Demo,
        TofuPreset => Tofu,
        _ => throw new ArgumentException($"Unknown evaluation preset '{name}'; expected '{DemoPreset}' or '{TofuPreset}'.", nameof(name)),
    };

    /// <summary>The item limit for one set: its own entry, else <see cref="MaxItems"/>.</summary>
    public int? ItemLimit(string set) => MaxItemsBySet.TryGetValue(set, out var limit) ? limit : MaxItems;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public EvaluationSpec Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException($"Invalid evaluation spec '{Name}': {message}");
            }
        }
        Require(Sets.Count > 0, "'sets' must name at least one set.");
        foreach (var set in Sets.Concat(MaxItemsBySet.Keys))
        {
            Require(AllSets.Contains(set), $"unknown set '{set}'; expected one of {string.Join(", ", AllSets)}.");
        }
        Require(Sets.Distinct().Count() == Sets.Count, "'sets' lists a set twice.");
        Require(MaxItems is null or > 0 && MaxItemsBySet.Values.All(n => n > 0), "item limits must be positive.");
        Require(MaxNewTokens > 0, "'max_new_tokens' must be positive.");
        Require(BatchSize > 0, "'batch_size' must be positive.");
        Require(RefusalRougeThreshold is > 0 and <= 1, "'refusal_rouge_threshold' must lie in (0, 1].");
        Require(System.Text.RegularExpressions.Regex.IsMatch(ForgetSplit, "^forget\\d{2}$"),
            $"'forget_split' must be forgetXX (forget01, forget05, forget10), not '{ForgetSplit}'.");
        if (PromptFormat is not null)
        {
            Lethe.Engine.Text.PromptFormat.Get(PromptFormat);
        }
        return this;
    }
}
