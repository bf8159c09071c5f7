using System.Globalization;
using System.Text;

namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>bench.md: the run's settings, the per-method table, and the sequential / precise tables when present.</summary>
public static class BenchmarkMarkdown
{
    private static readonly (string Header, Func<BenchmarkRow, string> Cell)[] Columns =
    [
        ("method", r => r.Method),
        ("forget ROUGE-L", r => F(r.ForgetRouge)),
        ("paraphrased ROUGE-L", r => F(r.ForgetParaphrasedRouge)),
        ("forget P", r => F(r.ForgetProbability)),
        ("forget TR", r => F(r.ForgetTruthRatio)),
        ("FQ", r => Scientific(r.ForgetQuality)),
        ("FE", r => F(r.ForgetEfficacy)),
        ("MU", r => F(r.ModelUtility)),
        ("MU ratio", r => F(r.ModelUtilityRatio)),
        ("forget refusal", r => Percent(r.ForgetRefusalRate)),
        ("retain false refusal", r => Percent(r.RetainFalseRefusalRate)),
        ("general false refusal", r => Percent(r.GeneralFalseRefusalRate)),
        ("params changed", r => Percent(r.ParamsChangedShare, "0.00")),
        ("wall s", r => r.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
        ("wall / UniErase", r => F(r.WallRatioToUnierase, "0.00")),
        ("request s", r => r.Method == BenchmarkReport.NoneMethod ? "—" : r.RequestSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
        ("request / UniErase", r => F(r.RequestSpeedupOfUnierase, "0.00")),
    ];

    public static string Render(BenchmarkReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Unlearning benchmark: {report.Split}, {report.Protocol.Name()} protocol");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- model: `{report.Model}`; reference (never saw the forget set): `{report.ReferenceModel}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- data: `{report.Data}`; forget QAs: {report.ForgetQas}; evaluation spec: {report.EvaluationSpec}");
        if (report.Machine is { } machine)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- machine: {machine.Describe()}");
        }
        text.AppendLine("- FQ = KS p-value of forget truth ratios vs the reference model; FE (ours) = 1 - mean(forget ROUGE-L recall, forget probability); MU = TOFU model utility; `none` = the model before unlearning.");
        text.AppendLine();
        Table(text, Columns.Select(c => c.Header), report.Methods.Select(r => Columns.Select(c => c.Cell(r))));
        foreach (var failed in report.Methods.Where(r => r.Details.TryGetValue("error", out var e) && e is not null))
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"**{failed.Method}** did not run to the end: {failed.Details["error"]}");
        }
        foreach (var stopped in report.Methods.Where(r => r.Details.TryGetValue("stopped", out var s) && s is not null))
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"**{stopped.Method}** stopped the sequence early: {stopped.Details["stopped"]}");
        }
        foreach (var row in report.Methods.Where(r => r.Rounds.Count > 0))
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Sequential rounds: {row.Method}").AppendLine();
            Table(text, ["round", "people", "QAs", "wall s", "MU", "MU ratio", "request ROUGE-L", "earlier max ROUGE-L", "earlier forgotten"],
                row.Rounds.Select(r => new[]
                {
                    r.Round.ToString(CultureInfo.InvariantCulture), string.Join("; ", r.People), r.ForgetQas.ToString(CultureInfo.InvariantCulture),
                    r.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture), F(r.ModelUtility), F(r.ModelUtilityRatio), F(r.RequestRouge),
                    F(r.EarlierRequestsMaxRouge), r.Round == 1 ? "—" : r.EarlierRequestsForgotten ? "yes" : "no",
                }));
        }
        var precise = report.Methods.Where(r => r.Precise is not null).ToList();
        if (precise.Count > 0)
        {
            text.AppendLine().AppendLine("## Precise: forgotten QAs and their siblings").AppendLine();
            Table(text, ["method", "target QAs", "target ROUGE-L", "target refusal", "sibling QAs", "sibling ROUGE-L", "siblings kept (ROUGE-L >= 0.8)"],
                precise.Select(r => new[]
                {
                    r.Method, r.Precise!.TargetQas.ToString(CultureInfo.InvariantCulture), F(r.Precise.TargetRouge), Percent(r.Precise.TargetRefusalRate),
                    r.Precise.SiblingQas.ToString(CultureInfo.InvariantCulture), F(r.Precise.SiblingRouge), Percent(r.Precise.SiblingsKeptShare),
                }));
        }
        return text.ToString();
    }

    private static void Table(StringBuilder text, IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows)
    {
        var headerList = headers.ToList();
        text.AppendLine("| " + string.Join(" | ", headerList) + " |");
        text.AppendLine("|" + string.Concat(headerList.Select(_ => "---|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }
    }

    private static string F(double? value, string format = "0.000") =>
        value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";

    private static string Percent(double? value, string format = "0.0") =>
        value is { } v ? (v * 100).ToString(format, CultureInfo.InvariantCulture) + "%" : "—";

    private static string Scientific(double? value) => value?.ToString("0.00e+00", CultureInfo.InvariantCulture) ?? "—";
}
