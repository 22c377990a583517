namespace PvMonitor.Api.Health;

/// <summary>One readiness check.</summary>
/// <param name="Ok">Passed.</param>
/// <param name="Detail">What was seen.</param>
public sealed record ReadinessCheck(bool Ok, string Detail);
