using System.Globalization;
using System.Text.Json;

namespace Lethe.Engine.Unlearning.Baselines;

/// <summary>
/// Reads baseline settings from JSON: <c>{"method": "npo", "lr": 1e-4, "beta": 0.1, ...}</c>. The method picks the
/// defaults, the other members override them (see <see cref="BaselineHyperparameters.WithOverrides"/>).
/// </summary>
public static class BaselineHyperparametersJson
{
    public static BaselineHyperparameters Parse(string json, string source = "hyperparameters.json", long? modelParameters = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"{source}:{(error.LineNumber ?? 0) + 1}: invalid JSON: {error.Message}", error);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"{source}:1: expected a JSON object of hyperparameters.");
            }
            var overrides = new Dictionary<string, string>();
            BaselineMethod? method = null;
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (member.NameEquals("method"))
                {
                    method = ParseMethod(member.Value.GetString(), source);
                    continue;
                }
                overrides[member.Name] = member.Value.ValueKind switch
                {
                    JsonValueKind.Number => member.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                    JsonValueKind.String => member.Value.GetString()!,
                    _ => throw new ArgumentException($"{source}: hyperparameter '{member.Name}' must be a number."),
                };
            }
            if (method is null)
            {
                throw new ArgumentException($"{source}: missing \"method\" (one of {string.Join(", ", Enum.GetNames<BaselineMethod>())}).");
            }
            return BaselineHyperparameters.DefaultsFor(method.Value, modelParameters).WithOverrides(overrides, source);
        }
    }

    /// <summary>Case-insensitive method name ("npo", "GradDiff", "idk_nll").</summary>
    public static BaselineMethod ParseMethod(string? name, string source = "method")
    {
        var normalised = (name ?? string.Empty).Replace("_", string.Empty).Replace("-", string.Empty);
        return Enum.TryParse<BaselineMethod>(normalised, ignoreCase: true, out var method) && Enum.IsDefined(method)
            ? method
            : throw new ArgumentException(
                $"{source}: unknown method '{name}'; known: {string.Join(", ", Enum.GetNames<BaselineMethod>())}.");
    }
}
