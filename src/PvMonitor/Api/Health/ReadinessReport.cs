namespace PvMonitor.Api.Health;

/// <summary>The <c>/readyz</c> body.</summary>
/// <param name="Status"><c>ready</c> or <c>not ready</c>.</param>
/// <param name="Checks">Each check.</param>
public sealed record ReadinessReport(string Status, ReadinessChecks Checks);
