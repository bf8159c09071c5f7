namespace Lethe.Engine.Training;

/// <summary>
/// Linear warm-up then cosine decay (HF get_cosine_schedule_with_warmup, warm-up counted from step 1):
/// lr(s) = peak * (s+1)/W for s &lt; W, else min + (peak - min) * 0.5 * (1 + cos(pi * (s - W) / (N - W))).
/// </summary>
public static class LearningRateSchedule
{
    public static double WarmupCosine(int step, int totalSteps, int warmupSteps, double peak, double minFraction = 0)
    {
        if (warmupSteps > 0 && step < warmupSteps)
        {
            return peak * (step + 1) / warmupSteps;
        }
        var decaySteps = Math.Max(1, totalSteps - warmupSteps);
        var progress = Math.Clamp((double)(step - warmupSteps) / decaySteps, 0, 1);
        var minimum = peak * minFraction;
        return minimum + (peak - minimum) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
