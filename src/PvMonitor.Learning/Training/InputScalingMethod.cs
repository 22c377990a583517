namespace PvMonitor.Learning.Training;

/// <summary>How training inputs are centred and scaled (stored in the manifest's normalisation, applied when scoring).</summary>
public enum InputScalingMethod
{
    /// <summary>Mean and standard deviation per feature (the paper).</summary>
    Standard,

    /// <summary>Median and interquartile range / 1.349 per feature: robust to heavy tails and outliers.</summary>
    Robust,
}
