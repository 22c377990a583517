using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Operations.Drift;

/// <summary>One string's recent ELBOs against the model's training distribution.</summary>
/// <param name="Key">The string.</param>
/// <param name="Samples">Scored samples in its window.</param>
/// <param name="MedianElbo">Median ELBO of the window, nats.</param>
/// <param name="FlaggedRate">Share of the window flagged anomalous (0–1).</param>
/// <param name="Drifting">True when the window moved away from the training distribution (see <paramref name="Reason"/>).</param>
/// <param name="Reason">Why it drifts, or null.</param>
public sealed record StringDrift(StringKey Key, int Samples, double MedianElbo, double FlaggedRate, bool Drifting, string? Reason);
