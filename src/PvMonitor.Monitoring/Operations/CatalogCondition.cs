namespace PvMonitor.Monitoring.Operations;

/// <summary>A condition operators can label: Table II's ten (seeded) or one an operator created.</summary>
/// <param name="Code">1–32 letters, digits, '_' or '-' (e.g. <c>PS50</c>, <c>SOIL</c>); unique.</param>
/// <param name="Name">Short name shown with the code.</param>
/// <param name="Description">What the condition is.</param>
/// <param name="Severity">info, warning or fault.</param>
/// <param name="CreatedBy">Who created it (<c>seed</c> for Table II's).</param>
/// <param name="Created">When (UTC).</param>
public sealed record CatalogCondition(string Code, string Name, string Description, ConditionSeverity Severity, string CreatedBy, DateTimeOffset Created);
