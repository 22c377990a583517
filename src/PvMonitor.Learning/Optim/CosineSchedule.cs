namespace PvMonitor.Learning.Optim;

/// <summary>
/// Linear warm-up from 0 over <see cref="WarmupSteps"/> steps, then cosine annealing from <see cref="Peak"/> to
/// <see cref="Minimum"/> at <see cref="TotalSteps"/>; <see cref="Minimum"/> afterwards.
/// </summary>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public CosineSchedule(float peak, long totalSteps, float minimum = 0f, long warmupSteps = 0)
    {
        if (!(peak >= 0f)) throw new ArgumentOutOfRangeException(nameof(peak));
        if (!(minimum >= 0f && minimum <= peak)) throw new ArgumentOutOfRangeException(nameof(minimum));
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        if (warmupSteps < 0 || warmupSteps >= totalSteps) throw new ArgumentOutOfRangeException(nameof(warmupSteps));
        (Peak, TotalSteps, Minimum, WarmupSteps) = (peak, totalSteps, minimum, warmupSteps);
    }

    /// <summary>Rate at the end of warm-up.</summary>
    public float Peak { get; }

    /// <summary>Step at which the minimum is reached.</summary>
    public long TotalSteps { get; }

    /// <summary>Final rate.</summary>
    public float Minimum { get; }

    /// <summary>Length of the linear warm-up.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc />
    public float LearningRate(long step)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        if (step >= TotalSteps) return Minimum;
        double progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return (float)(Minimum + 0.5 * (Peak - Minimum) * (1 + Math.Cos(Math.PI * progress)));
    }
}
