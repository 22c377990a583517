using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Storage;

/// <summary>One raw sample for <c>pv_telemetry</c>, keyed by (plant, inverter, string, time).</summary>
/// <param name="Key">The string.</param>
/// <param name="Sample">The sample (its <see cref="TelemetrySample.Time"/> is the row's timestamp).</param>
public readonly record struct TelemetryRecord(StringKey Key, TelemetrySample Sample);
