namespace PvMonitor.Learning.Experiments;

/// <summary>Wall-clock training time per epoch of one model kind on one input set, one value per training run.</summary>
/// <param name="Model">Model kind.</param>
/// <param name="Features"><c>simple</c> or <c>complex</c>.</param>
/// <param name="SecondsPerEpoch">Wall time of the training call (fitting, plus the SDGM's threshold calibration on 256 rows)
/// divided by the epochs run, per run (s).</param>
public sealed record VariantEpochTime(string Model, string Features, IReadOnlyList<double> SecondsPerEpoch)
{
    /// <summary>Mean seconds per epoch.</summary>
    public double Mean => SeriesStatistics.Mean(SecondsPerEpoch);

    /// <summary>Sample standard deviation of seconds per epoch.</summary>
    public double Std => SeriesStatistics.Std(SecondsPerEpoch);
}
