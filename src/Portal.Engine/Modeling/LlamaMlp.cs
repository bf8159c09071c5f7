using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>SwiGLU MLP: key k = SiLU(x Wg^T) * (x Wu^T) [.., d_ff]; out = k Wd^T [.., D].</summary>
public sealed class LlamaMlp : ExplicitModule
{
    public LlamaMlp(LlamaConfig config, Generator generator) : base("LlamaMlp")
    {
        var std = config.InitializerRange;
        GateProj = new LinearNoBias(config.HiddenSize, config.IntermediateSize, std, generator);
        UpProj = new LinearNoBias(config.HiddenSize, config.IntermediateSize, std, generator);
        DownProj = new LinearNoBias(config.IntermediateSize, config.HiddenSize, std, generator);
        register_module("gate_proj", GateProj);
        register_module("up_proj", UpProj);
        register_module("down_proj", DownProj);
    }

    public LinearNoBias GateProj { get; }
    public LinearNoBias UpProj { get; }
    public LinearNoBias DownProj { get; }

    /// <summary>The down_proj input ("key"): SiLU(gate(x)) * up(x), x [..., D] -> [..., d_ff].</summary>
    public Tensor Key(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (nn.functional.silu(GateProj.Forward(x)) * UpProj.Forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>x [..., D] -> down(key(x)) [..., D].</summary>
    public Tensor Forward(Tensor x)
    {
        using var key = Key(x);
        return DownProj.Forward(key);
    }
}
