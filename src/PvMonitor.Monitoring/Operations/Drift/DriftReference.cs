using PvMonitor.Learning.Models;

namespace PvMonitor.Monitoring.Operations.Drift;

/// <summary>The model's own ELBO distribution on its training rows (from its manifest), which recent ELBOs are compared with.</summary>
/// <param name="ModelVersion">The model.</param>
/// <param name="TrainingMedian">Median training ELBO, nats.</param>
/// <param name="TrainingP01">1st percentile of training ELBOs, nats.</param>
/// <param name="Threshold">Anomaly threshold, nats.</param>
/// <param name="ExpectedFlaggedRate">Share of training rows below the threshold (its percentile / 100).</param>
public sealed record DriftReference(string ModelVersion, double TrainingMedian, double TrainingP01, double Threshold, double ExpectedFlaggedRate)
{
    /// <summary>The reference of <paramref name="manifest"/>, or null for a model without an ELBO or without training ELBO statistics.</summary>
    public static DriftReference? Of(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Threshold is not { } threshold
            || !manifest.Metrics.TryGetValue("train_elbo_p50", out var median) || !manifest.Metrics.TryGetValue("train_elbo_p01", out var p01))
            return null;
        return new DriftReference(manifest.Version, median, p01, threshold.Elbo, threshold.Percentile / 100);
    }
}
