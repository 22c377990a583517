namespace PvMonitor.Learning.Models;

/// <summary>The threshold of one anomaly score, calibrated on the training rows when the model was trained.</summary>
/// <param name="Value">Threshold in nats; a row whose score is below it is flagged.</param>
/// <param name="Percentile">The percentile of the training rows' scores it was set at (e.g. 0.5).</param>
/// <param name="Samples">Importance samples the score was computed with (<c>iw-elbo</c>), else null.</param>
public sealed record ScoreThreshold(double Value, double Percentile, int? Samples = null);
