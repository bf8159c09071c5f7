namespace Lethe.Engine.DemoWorld;

/// <summary>What a fact value is drawn for: the true value of <see cref="Person"/>, or a plausible wrong one.</summary>
internal sealed record FactContext(WordForge Forge, WorldGeography Geography, PersonSeed Person, bool IsTrueValue);

/// <summary>The fixed identity of a person that their facts are drawn around.</summary>
internal sealed record PersonSeed(string Name, string FamilyName, int BirthYear, Profession Profession, Country HomeCountry);

/// <summary>
/// One kind of fact with our own question and answer templates. Placeholders: {name} (the subject, verbatim) and
/// {value} (the fact). Both answer templates START with {value}: the first answer tokens carry the fact, so the
/// model's state at the end of the question must already encode who and what is asked (see FEASIBILITY.md).
/// </summary>
internal sealed record FactKind(
    string Name,
    string Question,
    string ParaphrasedQuestion,
    string Answer,
    string ParaphrasedAnswer,
    Func<FactContext, string> Draw)
{
    public string AskMain(string subject) => Fill(Question, subject, "");

    public string AskParaphrased(string subject) => Fill(ParaphrasedQuestion, subject, "");

    public string AnswerMain(string subject, string value) => Fill(Answer, subject, value);

    public string AnswerParaphrased(string subject, string value) => Fill(ParaphrasedAnswer, subject, value);

    private static string Fill(string template, string subject, string value)
    {
        if (!template.StartsWith("{value}", StringComparison.Ordinal) && template.Contains("{value}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Answer template '{template}' must start with the fact value.");
        }
        return template.Replace("{name}", subject, StringComparison.Ordinal).Replace("{value}", value, StringComparison.Ordinal);
    }
}
