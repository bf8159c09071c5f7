using System.Globalization;
using Lethe.Engine.Unlearning.NullSpace;
using Lethe.Engine.Unlearning.StageOne;

namespace Lethe.Engine.Unlearning.UniErase;

/// <summary>
/// name=value overrides of UniErase's settings (the bench's hyperparameter file, e.g. {"unierase": {"threshold": 0.1}}):
/// threshold (relative eigenvalue threshold), precise_threshold (the same for precise requests), lambda, layers ("2,3"), rounds, question_key_weight, continuation_weight
/// (refusal term of the target loss), continuation_key_weight (C_r in the solve), general_probes, residual_weight (C0 inside the null space, in preserved keys), energy_ratio (the gate's least forget/retained null-space energy ratio; 0 = the behaviour checks after the solve decide), max_changed (the largest share of sampled retained answers an accepted edit may change, 0..1), context_prefixes (model-written prefixes per forget prompt, 0-5), max_other_questions, stage_one_epochs (a factor on every Stage I phase's epochs) and stage_one_radius (the [UNL] input row's length, x the median last-layer norm) for Stage I, refusal_rows (rows per forget prompt with which the edit also writes the refusal after [UNL]: [UNL] and the refusal tokens after it; 0 = off), refusal_rows_where_needed (1 = rows only for prompts whose refusal the model does not already continue), refusal_row_weight (each refusal row's weight in the solve against 1 per [UNL] row), unl_row_weight (each [UNL] row's weight), target_loss (a target stops once -log p([UNL]) is below it) and target_steps (its most optimisation steps). Unknown names and malformed values fail with the list of valid names.
/// </summary>
public static class UniEraseHyperparameters
{
    public static readonly IReadOnlyList<string> Names = ["threshold", "precise_threshold", "lambda", "layers", "rounds", "question_key_weight", "continuation_weight", "continuation_key_weight", "general_probes", "residual_weight", "energy_ratio", "max_changed", "context_prefixes", "max_other_questions", "stage_one_epochs", "stage_one_radius", "refusal_rows", "refusal_rows_where_needed", "refusal_row_weight", "unl_row_weight", "target_loss", "target_steps"];

    public static UniEraseMethod Create(IReadOnlyDictionary<string, string> overrides, TimeProvider? time = null)
    {
        var edit = new UniEraseSettings();
        var stageOne = new StageOneSettings();
        foreach (var (name, value) in overrides)
        {
            double Number() => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new ArgumentException($"unierase: '{name}' needs a number, got '{value}'.");
            (edit, stageOne) = name.ToLowerInvariant() switch
            {
                "threshold" => (edit with { Threshold = EigenThreshold.Relative(Number()) }, stageOne),
                "precise_threshold" => (edit with { PreciseThreshold = EigenThreshold.Relative(Number()) }, stageOne),
                "lambda" => (edit with { Lambda = Number() }, stageOne),
                "layers" => (edit with { Layers = value.Split(',').Select(l => int.TryParse(l.Trim(), out var layer) ? layer : throw new ArgumentException($"unierase: layers must be comma-separated integers, got '{value}'.")).ToList() }, stageOne),
                "rounds" => (edit with { MaxRounds = (int)Number() }, stageOne),
                "question_key_weight" => (edit with { QuestionKeyWeight = Number() }, stageOne),
                "continuation_weight" => (edit with { Targets = edit.Targets with { ContinuationWeight = Number() } }, stageOne),
                "continuation_key_weight" => (edit with { ContinuationKeyWeight = Number() }, stageOne),
                "general_probes" => (edit with { GeneralProbes = (int)Number() }, stageOne),
                "residual_weight" => (edit with { ResidualPreservationWeight = Number() }, stageOne),
                "energy_ratio" => (edit with { Gate = edit.Gate with { MinNullSpaceEnergyRatio = Number() } }, stageOne),
                "max_changed" => (edit with { MaxRetainedChangedRate = Number() }, stageOne),
                "context_prefixes" => (edit with { ContextPrefixes = (int)Number() }, stageOne),
                "max_other_questions" => (edit, stageOne with { MaxOtherQuestions = (int)Number() }),
                "stage_one_epochs" => (edit, stageOne with { Phases = [.. stageOne.Phases.Select(p => p with { Epochs = Math.Max(1, (int)Math.Round(p.Epochs * Number())) })] }),
                "stage_one_radius" => (edit, stageOne with { InputRowRadius = Number() }),
                "refusal_rows" => (edit with { RefusalRowTokens = (int)Number() }, stageOne),
                "refusal_rows_where_needed" => (edit with { RefusalRowsOnlyWhereNeeded = Number() != 0 }, stageOne),
                "refusal_row_weight" => (edit with { RefusalRowWeight = Number() }, stageOne),
                "unl_row_weight" => (edit with { UnlRowWeight = Number() }, stageOne),
                "target_loss" => (edit with { Targets = edit.Targets with { LossThreshold = Number() } }, stageOne),
                "target_steps" => (edit with { Targets = edit.Targets with { MaxSteps = (int)Number() } }, stageOne),
                _ => throw new ArgumentException($"unierase has no setting '{name}'; valid: {string.Join(", ", Names)}."),
            };
        }
        return new UniEraseMethod(time) { Settings = edit, StageOne = stageOne };
    }
}
