namespace Lethe.Engine.Text;

/// <summary>
/// How a question becomes the model's prompt, and how its answer continues it. Template markers that are special
/// tokens are inserted as ids by the engine; user text (question, answer) is always encoded as ordinary text.
/// </summary>
public abstract class PromptFormat
{
    private static readonly PromptFormat[] All =
    [
        new TextTemplateFormat("plain-qa", "Question: {q}\nAnswer:"),
        new Llama3ChatFormat(),
        new TextTemplateFormat("llama2-chat", "[INST] {q} [/INST]"),
        new TextTemplateFormat("raw", "{q}"),
    ];

    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(f => f.Name).ToArray();

    public abstract string Name { get; }

    /// <summary>Special tokens the tokenizer must have for this format.</summary>
    public virtual IReadOnlyList<string> RequiredSpecialTokens => [];

    public static PromptFormat Get(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException(
            $"Unknown prompt format '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Prompt ids ending right before the first answer token (BOS first when the tokenizer has one).</summary>
    public abstract int[] EncodePrompt(ByteLevelBpeTokenizer tokenizer, string question);

    /// <summary>Answer ids that follow the prompt; no EOS (the caller appends <see cref="ByteLevelBpeTokenizer.EosId"/>).</summary>
    public virtual int[] EncodeAnswer(ByteLevelBpeTokenizer tokenizer, string answer) => tokenizer.Encode(" " + answer);

    /// <summary>The prompt as text, markers written out (for logs and display, never for encoding).</summary>
    public abstract string RenderPrompt(string question);

    public override string ToString() => Name;

    /// <summary>The id of a special marker this format needs; a clear error when the tokenizer lacks it.</summary>
    protected int Marker(ByteLevelBpeTokenizer tokenizer, string content) =>
        tokenizer.SpecialTokenId(content) ?? throw new InvalidOperationException(
            $"Prompt format '{Name}' needs the special token '{content}', which the tokenizer does not have " +
            $"(required: {string.Join(", ", RequiredSpecialTokens)}).");

    /// <summary>[BOS] + encode(text), BOS only when the tokenizer has one.</summary>
    protected static int[] WithBos(ByteLevelBpeTokenizer tokenizer, string text) =>
        tokenizer.BosId is { } bos ? [bos, .. tokenizer.Encode(text)] : tokenizer.Encode(text);
}
