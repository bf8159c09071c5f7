using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>
/// What `bench` writes: bench.json (stable keys, documented in docs/bench-format.md) and bench.md (the same numbers
/// as tables). The model before unlearning is the row named <see cref="NoneMethod"/>.
/// </summary>
public sealed record BenchmarkReport(
    string Model,
    string ReferenceModel,
    string Data,
    string Split,
    BenchmarkProtocol Protocol,
    int ForgetQas,
    string EvaluationSpec,
    IReadOnlyList<BenchmarkRow> Methods)
{
    public const string NoneMethod = "none";

    /// <summary>Where it ran (threads, ReadyToRun); null in reports built without it.</summary>
    public BenchmarkMachine? Machine { get; init; }

    public const string JsonFile = "bench.json";
    public const string MarkdownFile = "bench.md";
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions SnakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes bench.json and bench.md into <paramref name="directory"/>; returns their paths.</summary>
    public (string Json, string Markdown) Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, JsonFile);
        var markdown = Path.Combine(directory, MarkdownFile);
        File.WriteAllText(json, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllText(markdown, BenchmarkMarkdown.Render(this));
        return (json, markdown);
    }

    public JsonObject ToJson() => new()
    {
        ["format_version"] = FormatVersion,
        ["model"] = Model,
        ["reference_model"] = ReferenceModel,
        ["data"] = Data,
        ["split"] = Split,
        ["protocol"] = Protocol.Name(),
        ["forget_qas"] = ForgetQas,
        ["evaluation_spec"] = EvaluationSpec,
        ["machine"] = Machine is null ? null : JsonSerializer.SerializeToNode(Machine, SnakeCase),
        ["methods"] = new JsonArray(Methods.Select(RowJson).ToArray<JsonNode?>()),
    };

    private static JsonObject RowJson(BenchmarkRow row)
    {
        var json = new JsonObject
        {
            ["method"] = row.Method,
            ["forget_rouge"] = Number(row.ForgetRouge),
            ["forget_paraphrased_rouge"] = Number(row.ForgetParaphrasedRouge),
            ["forget_probability"] = Number(row.ForgetProbability),
            ["forget_truth_ratio"] = Number(row.ForgetTruthRatio),
            ["forget_quality"] = Number(row.ForgetQuality),
            ["forget_efficacy"] = Number(row.ForgetEfficacy),
            ["model_utility"] = Number(row.ModelUtility),
            ["model_utility_ratio"] = Number(row.ModelUtilityRatio),
            ["forget_refusal_rate"] = Number(row.ForgetRefusalRate),
            ["retain_false_refusal_rate"] = Number(row.RetainFalseRefusalRate),
            ["general_false_refusal_rate"] = Number(row.GeneralFalseRefusalRate),
            ["params_changed_share"] = Number(row.ParamsChangedShare),
            ["params_changed"] = row.ParamsChanged,
            ["wall_seconds"] = Number(row.WallSeconds),
            ["wall_ratio_to_unierase"] = Number(row.WallRatioToUnierase),
            ["request_seconds"] = row.Method == NoneMethod ? null : Number(row.RequestSeconds),
            ["request_ratio_to_unierase"] = Number(row.RequestSpeedupOfUnierase),
            ["retain_rouge"] = Number(row.RetainRouge),
            ["privleak"] = Number(row.PrivLeak),
            ["stage_seconds"] = new JsonObject(row.StageSeconds.Select(s => KeyValuePair.Create(s.Key, Number(s.Value)))),
            ["details"] = new JsonObject(row.Details.Select(d => KeyValuePair.Create(d.Key, Detail(d.Value)))),
        };
        if (row.Rounds.Count > 0)
        {
            json["rounds"] = JsonSerializer.SerializeToNode(row.Rounds, SnakeCase);
        }
        if (row.Precise is not null)
        {
            json["precise"] = JsonSerializer.SerializeToNode(row.Precise, SnakeCase);
        }
        return json;
    }

    /// <summary>A finite number, or null (JSON has no NaN or infinity).</summary>
    private static JsonNode? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>A method's detail as JSON; values that do not serialise are written as text.</summary>
    private static JsonNode? Detail(object? value)
    {
        try
        {
            return value is double d ? Number(d) : JsonSerializer.SerializeToNode(value, SnakeCase);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return JsonValue.Create(value?.ToString());
        }
    }
}
