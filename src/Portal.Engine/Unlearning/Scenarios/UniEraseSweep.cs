using System.Globalization;
using Lethe.Engine.Evaluation.Metrics;
using Lethe.Engine.Unlearning.Decoding;
using Lethe.Engine.Unlearning.Diagnostics;
using Lethe.Engine.Unlearning.Edit;
using Lethe.Engine.Unlearning.NullSpace;
using Lethe.Engine.Unlearning.StageOne;
using Lethe.Engine.Unlearning.UniErase;
using KeyPosition = Lethe.Engine.Unlearning.UniErase.KeyPosition;

namespace Lethe.Engine.Unlearning.Scenarios;

/// <summary>One measured Stage II configuration of a sweep.</summary>
public sealed record SweepRow(
    string Configuration, double UnlFirstRate, UnlearningFigures Figures, double EditSeconds, double MaxRelativeUpdate,
    double MinForgetNullSpaceEnergy, bool TargetsConverged, bool DefaultGatePasses)
{
    /// <summary>Edit rounds applied (see <see cref="EditRounds"/>).</summary>
    public int Rounds { get; init; } = 1;
}

/// <summary>
/// Measures Stage II configurations on a demo world: one Stage I token (trained once on the scenario), then every
/// configuration edits a fresh copy of the model (gate limits relaxed so every point is measured; the default gate's
/// verdict is reported beside it). Configurations are written "layers=2,3 lambda=1 thr=1e-2 key=prompt steps=40".
/// </summary>
public sealed class UniEraseSweep(TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public (StageOneReport StageOne, IReadOnlyList<SweepRow> Rows) Run(
        string modelFolder, DemoWorldScenario scenario, StageOneSettings stageOne, IReadOnlyList<string> configurations, Action<string>? progress = null)
    {
        var refusals = new RefusalDetector(scenario.World.Refusals);
        UnlearningToken token;
        IReadOnlyList<string> generalBefore, retainedBefore;
        using (var model = LanguageModel.Load(modelFolder))
        {
            generalBefore = UnlearningMeasurement.Answers(model, scenario.General.Select(g => g.Question).ToList());
            retainedBefore = UnlearningMeasurement.Answers(model, scenario.Retained.Select(q => q.Row.Question).ToList());
            token = new StageOneTrainer(_time).Train(model, scenario.StageOneData(), scenario.World.Refusals, stageOne, progress);
        }
        var rows = new List<SweepRow>();
        foreach (var configuration in configurations)
        {
            var (settings, key) = Parse(configuration);
            using var model = LanguageModel.Load(modelFolder);
            token.Install(model);
            using var memory = new SequentialEditMemory(model.Model.Config.IntermediateSize);
            var started = _time.GetTimestamp();
            var rounds = EditRounds.Run(model, scenario.Requests(key), scenario.PreservationCorpus(), memory, settings, refusals, _time,
                refusal: token.Report.RefusalTargets.FirstOrDefault());
            var seconds = _time.GetElapsedTime(started).TotalSeconds;
            var forgetQuestions = scenario.Forget.Select(q => q.Row.Question).ToList();
            var unlFirst = UnlearningDecoder.Answer(model, forgetQuestions, maxNewTokens: 1).Count(a => a.StartedWithUnl) / (double)forgetQuestions.Count;
            var figures = UnlearningMeasurement.Measure(model, scenario.Forget, scenario.Retained, scenario.General, generalBefore, retainedBefore, refusals);
            var diagnostics = rounds[0].Outcome.Diagnostics;
            var defaultGate = EditGate.Evaluate(diagnostics.Layers,
                diagnostics.Targets.Select(t => new TargetOutcome(t.RequestId, t.FinalLoss, t.Converged)).ToList(), new UniEraseSettings().Gate);
            rows.Add(new SweepRow(configuration, unlFirst, figures, seconds,
                rounds.SelectMany(r => r.Outcome.Diagnostics.Layers).Max(l => l.RelativeUpdateNorm ?? 0), diagnostics.Layers.Min(l => l.ForgetNullSpaceEnergy),
                diagnostics.Targets.All(t => t.Converged), defaultGate.Passed) { Rounds = rounds.Count });
            progress?.Invoke($"{configuration}: {figures}");
        }
        return (token.Report, rows);
    }

    /// <summary>Parses "name=value" pairs: layers, lambda, thr (relative), key (prompt|subject), steps, prefixes, qw, rounds.</summary>
    public static (UniEraseSettings Settings, KeyPosition Key) Parse(string configuration)
    {
        var settings = new UniEraseSettings
        {
            Gate = new GateThresholds { MaxUnconvergedShare = 1, MaxRelativeUpdateNorm = 1e9, MinForgetNullSpaceEnergy = 0, MinNullSpaceEnergyRatio = 0, MaxForgetRetainedCosineMean = 2 },
            MaxRetainedFalseUnlRate = 1,
            MaxRetainedChangedRate = 1,
        };
        var key = KeyPosition.PromptLast;
        foreach (var pair in configuration.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2)
            {
                throw new ArgumentException($"Sweep configuration '{configuration}': '{pair}' is not name=value.");
            }
            double Number() => double.Parse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture);
            settings = parts[0] switch
            {
                "layers" => settings with { Layers = parts[1].Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList() },
                "lambda" => settings with { Lambda = Number() },
                "thr" => settings with { Threshold = EigenThreshold.Relative(Number()) },
                "steps" => settings with { Targets = settings.Targets with { MaxSteps = (int)Number() } },
                "prefixes" => settings with { ContextPrefixes = (int)Number() },
                "qw" => settings with { QuestionKeyWeight = Number() },
                "rounds" => settings with { MaxRounds = (int)Number() },
                "key" => settings,
                _ => throw new ArgumentException($"Sweep configuration '{configuration}': unknown setting '{parts[0]}' (layers, lambda, thr, key, steps, prefixes, qw, rounds)."),
            };
            if (parts[0] == "key")
            {
                key = parts[1] == "subject" ? KeyPosition.SubjectLast : KeyPosition.PromptLast;
            }
        }
        return (settings, key);
    }

    /// <summary>The sweep as a Markdown table.</summary>
    public static string ToMarkdown(StageOneReport stageOne, IReadOnlyList<SweepRow> rows)
    {
        var lines = new List<string>
        {
            $"Stage I token: refusal after [UNL] {stageOne.TrainedRefusalRate:P1} on trained questions, {stageOne.HeldOutRefusalRate:P1} on held-out questions, {stageOne.Seconds:0} s.",
            "",
            "| configuration | [UNL] first (forget) | forget refusal | paraphrase refusal | retained exact | retained false refusal | general unchanged | retained answers changed | max update / W | min forget null-space energy | targets converged | default gate | rounds | edit s |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        };
        lines.AddRange(rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"| {r.Configuration} | {r.UnlFirstRate:P0} | {r.Figures.ForgetRefusal:P0} | {r.Figures.ParaphraseRefusal:P0} | {r.Figures.RetainedAccuracy:P1} | {r.Figures.RetainedFalseRefusal:P1} | {r.Figures.GeneralUnchanged:P0} | {r.Figures.RetainedChanged} | {r.MaxRelativeUpdate:0.00} | {r.MinForgetNullSpaceEnergy:0.000} | {(r.TargetsConverged ? "yes" : "no")} | {(r.DefaultGatePasses ? "pass" : "stop")} | {r.Rounds} | {r.EditSeconds:0.0} |")));
        return string.Join('\n', lines) + "\n";
    }
}
