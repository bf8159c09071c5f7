namespace Lethe.Engine.Unlearning.StageOne;

/// <summary>How the token after the refusal is supervised.</summary>
public enum SecondUnlTarget
{
    /// <summary>Released recipe: prompt [UNL] refusal [UNL] EOS, the second [UNL] and EOS supervised.</summary>
    Supervised,

    /// <summary>prompt [UNL] refusal [UNL] EOS with the second [UNL] in the input but not a target (input-row phase).</summary>
    Masked,

    /// <summary>prompt [UNL] refusal EOS: no second [UNL] at all.</summary>
    Omitted,
}

/// <summary>One Stage I training sequence: input ids and labels of the same length; -100 = not supervised.</summary>
public sealed record StageOneExample(long[] InputIds, long[] Labels)
{
    public const long IgnoreIndex = -100;

    public int SupervisedCount => Labels.Count(label => label != IgnoreIndex);
}
