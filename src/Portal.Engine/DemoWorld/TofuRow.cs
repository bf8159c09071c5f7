using System.Text.Json.Serialization;

namespace Lethe.Engine.DemoWorld;

/// <summary>
/// One row of a TOFU-shaped file. Field names are TOFU's own; fields a file does not have stay null and are not written
/// (full.json: question, answer; *_perturbed.json: + paraphrased_question, paraphrased_answer, perturbed_answer;
/// world_facts.json / real_authors.json: question, option1..option4, answer).
/// </summary>
public sealed record TofuRow
{
    [JsonPropertyName("question"), JsonPropertyOrder(0)]
    public required string Question { get; init; }

    [JsonPropertyName("option1"), JsonPropertyOrder(1)]
    public string? Option1 { get; init; }

    [JsonPropertyName("option2"), JsonPropertyOrder(2)]
    public string? Option2 { get; init; }

    [JsonPropertyName("option3"), JsonPropertyOrder(3)]
    public string? Option3 { get; init; }

    [JsonPropertyName("option4"), JsonPropertyOrder(4)]
    public string? Option4 { get; init; }

    [JsonPropertyName("answer"), JsonPropertyOrder(5)]
    public required string Answer { get; init; }

    [JsonPropertyName("paraphrased_question"), JsonPropertyOrder(6)]
    public string? ParaphrasedQuestion { get; init; }

    [JsonPropertyName("paraphrased_answer"), JsonPropertyOrder(7)]
    public string? ParaphrasedAnswer { get; init; }

    [JsonPropertyName("perturbed_answer"), JsonPropertyOrder(8)]
    public IReadOnlyList<string>? PerturbedAnswer { get; init; }

    /// <summary>The row without its perturbation fields (the full.json / holdout.json shape).</summary>
    public TofuRow AsPlainQa() => new() { Question = Question, Answer = Answer };
}
