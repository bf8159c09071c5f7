using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lethe.Engine.Modeling;

/// <summary>
/// Base of the Llama modules: children and parameters are registered explicitly under their HF names,
/// never by reflection over fields, so the state-dict keys are exactly HF's.
/// </summary>
public abstract class ExplicitModule(string name) : nn.Module(name)
{
    protected override void RegisterComponents()
    {
        // Everything is registered by name in the constructors.
    }
}

/// <summary>A module holding one parameter called `weight` that can be replaced (for vocabulary growth).</summary>
public abstract class SingleWeightModule : ExplicitModule
{
    protected SingleWeightModule(string name, Tensor initialWeight) : base(name)
    {
        register_parameter("weight", new Parameter(initialWeight, requires_grad: true));
    }

    /// <summary>The registered `weight` (looked up each time, so module-wide conversions are seen).</summary>
    public Parameter Weight => get_parameter("weight") ?? throw new InvalidOperationException("weight is not registered");

    /// <summary>Swaps in a new weight tensor (any shape); the old parameter is disposed.</summary>
    public void ReplaceWeight(Tensor newWeight)
    {
        var old = Weight;
        ConditionallyRegisterParameter("weight", new Parameter(newWeight, requires_grad: old.requires_grad));
        old.Dispose();
    }
}

/// <summary>Bias-free linear layer: y = x W^T, W [out, in].</summary>
public sealed class LinearNoBias(int inFeatures, int outFeatures, double initStd, Generator generator)
    : SingleWeightModule("LinearNoBias", randn([outFeatures, inFeatures], generator: generator).mul_(initStd))
{
    /// <summary>x [..., in] -> [..., out].</summary>
    public Tensor Forward(Tensor x) => nn.functional.linear(x, Weight);
}

/// <summary>Token embedding table: E [vocab, d]; ids [B,T] -> E[ids] [B,T,d].</summary>
public sealed class TokenEmbedding(int vocabSize, int dim, double initStd, Generator generator)
    : SingleWeightModule("TokenEmbedding", randn([vocabSize, dim], generator: generator).mul_(initStd))
{
    public Tensor Forward(Tensor ids)
    {
        var flat = Weight.index_select(0, ids.reshape(-1));
        return flat.reshape(ids.shape[0], ids.shape[1], Weight.shape[1]);
    }
}

/// <summary>RMSNorm: y = x / sqrt(mean(x^2, last dim) + eps) * w, computed in fp32 (w initialised to ones).</summary>
public sealed class RmsNorm(int dim, double eps) : SingleWeightModule("RmsNorm", ones(dim))
{
    private readonly Scalar _eps = eps.ToScalar(); // held by the module: see KeptScalars

    public double Eps { get; } = eps;

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var variance = x.square().mean([-1], keepdim: true);
        var normalised = x * rsqrt(variance.add(_eps));
        return (Weight * normalised).MoveToOuterDisposeScope();
    }
}
