namespace Lethe.Engine.Text;

/// <summary>
/// A format that is plain text around the question: "plain-qa" (<c>Question: {q}\nAnswer:</c>), "llama2-chat"
/// (<c>[INST] {q} [/INST]</c>) and "raw" (the question alone, UniErase Stage I's plain prompt).
/// Prompt = [BOS] + encode(template with the question); the answer follows after one space.
/// </summary>
public sealed class TextTemplateFormat(string name, string template) : PromptFormat
{
    public const string QuestionSlot = "{q}";

    public override string Name { get; } = name;

    public override int[] EncodePrompt(ByteLevelBpeTokenizer tokenizer, string question) =>
        WithBos(tokenizer, RenderPrompt(question));

    public override string RenderPrompt(string question)
    {
        var slot = template.IndexOf(QuestionSlot, StringComparison.Ordinal);
        return template[..slot] + question + template[(slot + QuestionSlot.Length)..];
    }
}

/// <summary>
/// "llama3-chat": <c>&lt;|begin_of_text|&gt;&lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n{q}&lt;|eot_id|&gt;
/// &lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n</c>; the answer follows directly.
/// </summary>
public sealed class Llama3ChatFormat : PromptFormat
{
    public const string BeginOfText = "<|begin_of_text|>";
    public const string StartHeader = "<|start_header_id|>";
    public const string EndHeader = "<|end_header_id|>";
    public const string EndOfTurn = "<|eot_id|>";

    public override string Name => "llama3-chat";

    public override IReadOnlyList<string> RequiredSpecialTokens => [BeginOfText, StartHeader, EndHeader, EndOfTurn];

    public override int[] EncodePrompt(ByteLevelBpeTokenizer tokenizer, string question)
    {
        var start = Marker(tokenizer, StartHeader);
        var end = Marker(tokenizer, EndHeader);
        return
        [
            Marker(tokenizer, BeginOfText),
            start, .. tokenizer.Encode("user"), end,
            .. tokenizer.Encode("\n\n" + question), Marker(tokenizer, EndOfTurn),
            start, .. tokenizer.Encode("assistant"), end,
            .. tokenizer.Encode("\n\n"),
        ];
    }

    public override int[] EncodeAnswer(ByteLevelBpeTokenizer tokenizer, string answer) => tokenizer.Encode(answer);

    public override string RenderPrompt(string question) =>
        $"{BeginOfText}{StartHeader}user{EndHeader}\n\n{question}{EndOfTurn}{StartHeader}assistant{EndHeader}\n\n";
}
