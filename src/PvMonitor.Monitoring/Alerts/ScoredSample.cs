using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Alerts;

/// <summary>What the alert engine needs to know about one scored (or night) sample.</summary>
/// <param name="Key">The string.</param>
/// <param name="Time">The sample's timestamp (UTC) — the engine's only notion of time.</param>
/// <param name="Condition">Most probable condition code (e.g. <c>PS7</c>), or null for night samples.</param>
/// <param name="Confidence">Posterior probability of <paramref name="Condition"/>, 0–1.</param>
/// <param name="Elbo">Evidence lower bound of the sample under the model, nats (higher = more typical).</param>
/// <param name="IsAnomaly">True when the ELBO is below the active model's anomaly threshold.</param>
/// <param name="IsNight">True for night / low-irradiance samples (not scored): they neither open nor close episodes.</param>
/// <param name="ModelVersion">Version of the model that scored the sample.</param>
public readonly record struct ScoredSample(
    StringKey Key,
    DateTimeOffset Time,
    string? Condition,
    double Confidence,
    double Elbo,
    bool IsAnomaly,
    bool IsNight,
    string ModelVersion)
{
    /// <summary>
    /// Posterior probability of all fault classes together, 0–1 (<see cref="AlertEngine.FaultProbability"/>); NaN when unknown,
    /// in which case <see cref="Confidence"/> stands in for it.
    /// </summary>
    public double FaultProbability { get; init; } = double.NaN;

    /// <summary>Feature names aligned with <see cref="ReconstructionZ"/>; null when the model gives no z-scores.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Per-feature reconstruction z-scores of the sample (named in an anomaly alert's <see cref="AlertEvent.Sensors"/>).</summary>
    public ReadOnlyMemory<float> ReconstructionZ { get; init; }
}
