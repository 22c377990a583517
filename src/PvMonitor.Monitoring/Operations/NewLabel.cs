namespace PvMonitor.Monitoring.Operations;

/// <summary>A label as an operator submits it (see <see cref="OperatorLabel"/>).</summary>
public sealed record NewLabel(string? Plant, string? String, DateTimeOffset? From, DateTimeOffset? To, string? Condition, string? Note);
