namespace PvMonitor.Monitoring.Operations;

/// <summary>A condition as an operator submits it (see <see cref="CatalogCondition"/>); severity <c>info</c>, <c>warning</c> or <c>fault</c>.</summary>
public sealed record NewCondition(string? Code, string? Name, string? Description, string? Severity);
