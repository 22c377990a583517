namespace PvMonitor.Api.Health;

/// <summary>The checks behind <c>/readyz</c>.</summary>
/// <param name="Source">MQTT connected (or the demo plant).</param>
/// <param name="Store">Result store accepting writes.</param>
/// <param name="Model">Model loaded.</param>
/// <param name="Pipeline">Pipeline running.</param>
public sealed record ReadinessChecks(ReadinessCheck Source, ReadinessCheck Store, ReadinessCheck Model, ReadinessCheck Pipeline);
