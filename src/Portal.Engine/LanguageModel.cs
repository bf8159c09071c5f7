using Lethe.Engine.Modeling;
using Lethe.Engine.Modeling.Inference;
using Lethe.Engine.Text;

namespace Lethe.Engine;

/// <summary>A question/answer pair in text form.</summary>
public sealed record QaPair(string Question, string Answer);

/// <summary>
/// A model directory in HF layout loaded as one unit: weights (config.json + model.safetensors), tokenizer.json and
/// the prompt format named in config.json (<c>lethe_prompt_format</c>, default plain-qa). Text in, text out.
/// </summary>
public sealed class LanguageModel : IDisposable
{
    public const string TokenizerFile = "tokenizer.json";
    public const string DefaultPromptFormat = "plain-qa";

    public LanguageModel(LlamaForCausalLM model, ByteLevelBpeTokenizer tokenizer, PromptFormat format)
    {
        if (tokenizer.VocabSize > model.Config.VocabSize)
        {
            throw new InvalidDataException(
                $"The tokenizer has {tokenizer.VocabSize} tokens but the model's embedding has only {model.Config.VocabSize} rows.");
        }
        Model = model;
        Tokenizer = tokenizer;
        Format = format;
    }

    public LlamaForCausalLM Model { get; }
    public ByteLevelBpeTokenizer Tokenizer { get; }
    public PromptFormat Format { get; }

    /// <summary>Ids at which generation stops: EOS plus the config's extra eos ids.</summary>
    public IReadOnlySet<int> StopIds => Model.Config.EosTokenIds.Append(Tokenizer.EosId).ToHashSet();

    /// <summary>Loads a model directory; names the missing or inconsistent file when the folder is not a model.</summary>
    public static LanguageModel Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Model folder '{directory}' does not exist.");
        }
        var tokenizerPath = Path.Combine(directory, TokenizerFile);
        if (!File.Exists(tokenizerPath))
        {
            throw new FileNotFoundException($"'{directory}' is not a model folder: {TokenizerFile} is missing.", tokenizerPath);
        }
        var tokenizer = ByteLevelBpeTokenizer.Load(tokenizerPath);
        var model = ModelCheckpoint.Load(directory);
        var format = PromptFormat.Get(model.Config.PromptFormat ?? DefaultPromptFormat);
        return new LanguageModel(model, tokenizer, format);
    }

    /// <summary>Writes config.json (with the prompt format), model.safetensors and tokenizer.json.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        ModelCheckpoint.Save(Model, directory);
        Tokenizer.Save(Path.Combine(directory, TokenizerFile));
    }

    public int[] EncodePrompt(string question) => Format.EncodePrompt(Tokenizer, question);

    /// <summary>prompt ids + (answer ids + EOS), the unit of teacher-forced scoring and training.</summary>
    public PromptAnswer Encode(QaPair pair) =>
        PromptAnswer.WithEos(EncodePrompt(pair.Question), Format.EncodeAnswer(Tokenizer, pair.Answer), Tokenizer.EosId);

    /// <summary>Teacher-forced scores of each answer given its question (answer tokens + EOS).</summary>
    public IReadOnlyList<AnswerScore> Score(IReadOnlyList<QaPair> pairs, int batchSize = 16) =>
        TeacherForcedScorer.Score(Model, pairs.Select(Encode).ToList(), Tokenizer.PadId, batchSize);

    /// <summary>The unlearning token UniErase adds as a special token; a model that carries it decodes under its rules.</summary>
    public const string UnlearningTokenText = "[UNL]";

    /// <summary>The id of [UNL] when this model carries the unlearning token, else null.</summary>
    public int? UnlearningTokenId => Tokenizer.SpecialTokenId(UnlearningTokenText);

    /// <summary>
    /// The generation stop rule of a model with [UNL] (null without): [UNL] as the first generated token starts a
    /// refusal; any later [UNL] ends the answer.
    /// </summary>
    public Func<int[], int, bool>? LateUnlearningTokenStop => UnlearningTokenId is { } unl ? StopAfterLate(unl) : null;

    /// <summary>GreedyGenerator stop rule: stop after <paramref name="tokenId"/> when it is not the first generated token.</summary>
    public static Func<int[], int, bool> StopAfterLate(int tokenId) => (tokens, _) => tokens.Length > 1 && tokens[^1] == tokenId;

    /// <summary>Visible text of generated ids: special tokens (and so [UNL]) stripped, whitespace trimmed.</summary>
    public string DecodeAnswer(IEnumerable<int> ids)
    {
        var unl = UnlearningTokenId;
        return Tokenizer.Decode(ids.Where(id => id != unl)).Trim();
    }

    /// <summary>Greedy answers to each question (<see cref="DecodeAnswer"/>), under the [UNL] rules when the model has the token.</summary>
    public IReadOnlyList<string> Generate(IReadOnlyList<string> questions, int maxNewTokens = 200, int batchSize = 16) =>
        GenerateIds(questions, maxNewTokens, batchSize).Select(DecodeAnswer).ToList();

    /// <summary>The generated ids behind <see cref="Generate"/> (special tokens such as [UNL] kept).</summary>
    public IReadOnlyList<int[]> GenerateIds(IReadOnlyList<string> questions, int maxNewTokens = 200, int batchSize = 16)
    {
        var stopAfter = LateUnlearningTokenStop;
        var answers = new List<int[]>(questions.Count);
        foreach (var chunk in questions.Chunk(Math.Max(1, batchSize)))
        {
            var prompts = chunk.Select(EncodePrompt).ToList();
            answers.AddRange(GreedyGenerator.GenerateGreedy(Model, prompts, maxNewTokens, StopIds, Tokenizer.PadId, stopAfter: stopAfter).Select(ids => ids.ToArray()));
        }
        return answers;
    }

    public void Dispose() => Model.Dispose();
}
