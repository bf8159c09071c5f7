using TorchSharp;
using Lethe.Engine.Unlearning.UniErase;
using static TorchSharp.torch;

namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>
/// Keeps the [UNL] input row on a sphere: e_unl = R u with ||u|| = 1 and R = k * median_i ||h_L(prompt_i)[last]||, where
/// h_L is the last layer's output ([n, d_model]) at the end of the training prompts. A row several times longer than
/// the residual stream dominates every RMSNorm at the [UNL] position, so what follows [UNL] is decided by the row and
/// not by the memorised answer the question's tokens bring in through attention (a free row stays short and loses).
/// </summary>
internal static class InputRowSphere
{
    private const int Sample = 64;

    /// <summary>R = multiple * median last-layer output norm at the last prompt position (model format).</summary>
    public static double Radius(LanguageModel model, IReadOnlyList<string> questions, double multiple)
    {
        var prompts = EvenlySpaced.Take(questions, Sample).Select(q => (IReadOnlyList<int>)model.EncodePrompt(q)).ToList();
        using var outputs = ModelProbe.LayerOutputAt(model.Model, prompts, prompts.Select(p => p.Count - 1).ToList(), model.Model.LayerCount - 1, model.Tokenizer.PadId);
        using var norms = outputs.norm(1);
        var sorted = norms.data<float>().ToArray().Order().ToArray();
        return multiple * sorted[sorted.Length / 2];
    }

    /// <summary>row &lt;- R row / ||row||.</summary>
    public static void Project(Tensor weight, long row, double radius)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var current = weight[row];
        current.mul_(radius / Math.Max(current.norm().ToDouble(), 1e-12));
    }
}
