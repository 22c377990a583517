namespace PvMonitor.Monitoring.Ingest;

/// <summary>
/// Classifies a sample as night / very low irradiance: <c>G &lt; threshold</c>. Such samples are stored with state
/// <c>night</c> but never scored, so the model is not asked about conditions it never saw.
/// </summary>
/// <param name="threshold">Irradiance threshold, W/m² (default 20, see <see cref="IngestOptions.NightIrradianceThreshold"/>).</param>
public sealed class NightClassifier(double threshold = 20)
{
    /// <summary>The threshold, W/m².</summary>
    public double Threshold { get; } = double.IsFinite(threshold) && threshold >= 0
        ? threshold
        : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The night irradiance threshold must be a finite number ≥ 0 W/m².");

    /// <summary>True when irradiance <paramref name="g"/> (W/m²) is below the threshold.</summary>
    public bool IsNight(double g) => g < Threshold;
}
