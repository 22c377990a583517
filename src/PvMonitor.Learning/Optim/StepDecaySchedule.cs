namespace PvMonitor.Learning.Optim;

/// <summary>lr = initial · gamma^⌊step / stepSize⌋ (torch StepLR; with stepSize 1 it is exponential decay).</summary>
public sealed class StepDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public StepDecaySchedule(float initial, float gamma, long stepSize)
    {
        if (!(initial >= 0f)) throw new ArgumentOutOfRangeException(nameof(initial));
        if (!(gamma > 0f)) throw new ArgumentOutOfRangeException(nameof(gamma));
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        (Initial, Gamma, StepSize) = (initial, gamma, stepSize);
    }

    /// <summary>Rate at step 0.</summary>
    public float Initial { get; }

    /// <summary>Factor applied every <see cref="StepSize"/> steps.</summary>
    public float Gamma { get; }

    /// <summary>Steps between decays.</summary>
    public long StepSize { get; }

    /// <inheritdoc />
    public float LearningRate(long step) => Initial * MathF.Pow(Gamma, step / StepSize);
}
