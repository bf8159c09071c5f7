using System.Globalization;
using System.Text.Json;
using Lethe.Engine.Unlearning.Baselines;

namespace Lethe.Engine.Unlearning;

/// <summary>
/// Creates unlearning methods by their command-line name (gradascent, graddiff, npo, idknll, simnpo, rmu,
/// unierase, and any method registered with <see cref="Register"/>). Hyperparameters are name=value overrides
/// (see <see cref="BaselineHyperparameters.WithOverrides"/>); unknown names fail with the list of valid ones.
/// </summary>
public static class UnlearningMethods
{
    /// <summary>Builds a method from its hyperparameter overrides and the clock it times itself with.</summary>
    public delegate IUnlearningMethod Factory(IReadOnlyDictionary<string, string> hyperparameters, TimeProvider time);

    private static readonly Dictionary<string, Factory> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gradascent"] = (h, t) => new GradAscentMethod(time: t) { Overrides = h },
        ["graddiff"] = (h, t) => new GradDiffMethod(time: t) { Overrides = h },
        ["npo"] = (h, t) => new NpoMethod(time: t) { Overrides = h },
        ["idknll"] = (h, t) => new IdkNllMethod(time: t) { Overrides = h },
        ["simnpo"] = (h, t) => new SimNpoMethod(time: t) { Overrides = h },
        ["rmu"] = (h, t) => new RmuMethod(time: t) { Overrides = h },
        ["unierase"] = (h, t) => UniErase.UniEraseHyperparameters.Create(h, t),
    };

    private static readonly Lock Gate = new();

    /// <summary>Every valid name, in registration order (baselines first).</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Gate)
            {
                return [.. Factories.Keys];
            }
        }
    }

    /// <summary>The baselines' names (the gradient methods of this engine).</summary>
    public static IReadOnlyList<string> BaselineNames { get; } = ["gradascent", "graddiff", "npo", "idknll", "simnpo", "rmu"];

    /// <summary>Adds (or replaces) a method under <paramref name="name"/>.</summary>
    public static void Register(string name, Factory factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (Gate)
        {
            Factories[Normalise(name)] = factory;
        }
    }

    public static IUnlearningMethod Create(
        string name, IReadOnlyDictionary<string, string>? hyperparameters = null, TimeProvider? time = null)
    {
        Factory? factory;
        lock (Gate)
        {
            Factories.TryGetValue(Normalise(name), out factory);
        }
        if (factory is null)
        {
            throw new ArgumentException($"Unknown unlearning method '{name}'; valid methods: {string.Join(", ", Names)}.", nameof(name));
        }
        return factory(hyperparameters ?? new Dictionary<string, string>(), time ?? TimeProvider.System);
    }

    /// <summary>Splits a comma-separated list ("npo,rmu") into checked, distinct names; "all" = every registered method.</summary>
    public static IReadOnlyList<string> ParseList(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Normalise).ToList();
        if (names is ["all"])
        {
            return Names;
        }
        var unknown = names.Where(n => !Names.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
        if (names.Count == 0 || unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Unknown unlearning method(s) '{string.Join(", ", unknown)}' in '{list}'; valid methods: {string.Join(", ", Names)} (or 'all').");
        }
        return names.Distinct().ToList();
    }

    /// <summary>
    /// Reads per-method hyperparameters from JSON: <c>{"npo": {"lr": 1e-4, "beta": 0.1}, "rmu": {"layer": 2}}</c>.
    /// Errors name the file and line.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ReadHyperparameters(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"{path}:{(error.LineNumber ?? 0) + 1}: invalid JSON: {error.Message}", error);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"{path}:1: expected an object of method name -> {{hyperparameter: value}}.");
            }
            var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var method in document.RootElement.EnumerateObject())
            {
                if (method.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new ArgumentException($"{path}: the hyperparameters of '{method.Name}' must be an object.");
                }
                result[Normalise(method.Name)] = method.Value.EnumerateObject().ToDictionary(
                    member => member.Name,
                    member => member.Value.ValueKind == JsonValueKind.Number
                        ? member.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture)
                        : member.Value.ToString());
            }
            return result;
        }
    }

    private static string Normalise(string name) =>
        name.Trim().ToLowerInvariant().Replace("_", string.Empty).Replace("-", string.Empty);
}
