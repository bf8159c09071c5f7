namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>Which [UNL] row a phase trains.</summary>
public enum TokenRow
{
    Input,
    Output,
}

/// <summary>Which prompt formats a phase's examples use: the raw question, the model's own format, or both.</summary>
public enum StageOneFormats
{
    Raw,
    Both,
}

/// <summary>
/// One Stage I phase: the row it trains, the formats, epochs, Adam learning rate, how the second [UNL] is supervised,
/// whether down_proj noise is added (phase C, robustness to Stage II), and whether ordinary answers are added as
/// negatives (they push the [UNL] logit down where no refusal is wanted).
/// </summary>
public sealed record StageOnePhase(
    string Name, TokenRow Row, StageOneFormats Formats, int Epochs, double LearningRate, SecondUnlTarget SecondUnl,
    bool NoiseOnEditedLayers = false, bool WithNegatives = false);

/// <summary>
/// Stage I settings. Default schedule (FEASIBILITY's better schedule): the input row first without a second-[UNL]
/// target (A raw, B raw + model format, C with down_proj noise on the layers Stage II edits), then the output row alone
/// with the second [UNL] supervised and ordinary answers as negatives (D). Never ties the output row to the input row.
/// </summary>
public sealed record StageOneSettings
{
    public IReadOnlyList<StageOnePhase> Phases { get; init; } =
    [
        new("A", TokenRow.Input, StageOneFormats.Raw, 6, 0.12, SecondUnlTarget.Omitted),
        new("B", TokenRow.Input, StageOneFormats.Both, 6, 0.04, SecondUnlTarget.Omitted),
        new("C", TokenRow.Input, StageOneFormats.Both, 1, 0.012, SecondUnlTarget.Omitted, NoiseOnEditedLayers: true),
        new("D", TokenRow.Output, StageOneFormats.Both, 3, 0.04, SecondUnlTarget.Supervised, WithNegatives: true),
    ];

    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// At most this many questions besides the forget questions train the token, and as many are held out (evenly spaced
    /// over the request's other questions): Stage I costs O(questions x epochs), and a TOFU retain set has 3,600.
    /// </summary>
    public int MaxOtherQuestions { get; init; } = 300;

    /// <summary>Loss weight of each refusal's first token (where the true answer competes; the rest follows easily).</summary>
    public double FirstTokenWeight { get; init; } = 5.0;

    /// <summary>
    /// Refusal targets kept: the most likely sentences of the list under the model (0 = the whole list). One, by
    /// measurement (small demo model, docs/unierase-sweep.md): with several targets a small model blends them into
    /// non-sentences ("I don't have no facts about that"); with its own most likely refusal, 98 % of held-out questions.
    /// </summary>
    public int RefusalTargets { get; init; } = 1;

    /// <summary>Seed of the refusal choice, the example order and the noise.</summary>
    public long Seed { get; init; } = 20251130;

    /// <summary>
    /// Length of the [UNL] input row as a multiple of the median last-layer output norm at the end of the training
    /// prompts (<see cref="InputRowSphere"/>); the input phases then move its direction only, with steps of
    /// lr * R / sqrt(d_model) per coordinate. 0 = a free row (the released recipe).
    /// </summary>
    public double InputRowRadius { get; init; } = 4.0;

    /// <summary>Phase C noise: N(0, (scale * std(W))^2) added to each edited down_proj for one step, then removed.</summary>
    public double NoiseScale { get; init; } = 0.1;

    /// <summary>Layers whose down_proj Stage II will edit (phase C adds noise there).</summary>
    public IReadOnlyList<int> EditedLayers { get; init; } = [];

    public void Validate()
    {
        if (Phases.Count == 0 || Phases.Any(p => p.Epochs <= 0 || p.LearningRate <= 0) || BatchSize <= 0 || MaxOtherQuestions <= 0 || NoiseScale < 0 || InputRowRadius < 0)
        {
            throw new ArgumentException("Stage I settings need at least one phase with positive epochs and learning rate, a positive batch size and non-negative noise scale and input-row radius.");
        }
    }
}
