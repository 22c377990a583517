namespace PvMonitor.Learning.Optim;

/// <summary>A learning rate as a function of the 0-based optimizer step.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/> (0 = first step).</summary>
    float LearningRate(long step);
}
