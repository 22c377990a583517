using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Simulation;

/// <summary>One simulated 1-minute sample of a string with its ground-truth label.</summary>
/// <param name="Key">The string.</param>
/// <param name="Sample">The sensor readings (with noise and quantisation).</param>
/// <param name="Label">The condition code, or "" when unknown (night, or outside a campaign's recording window).</param>
public readonly record struct SimulatedReading(StringKey Key, TelemetrySample Sample, string Label);
