namespace PvMonitor.Monitoring.Operations;

/// <summary>One write through the operations API: who did what, when.</summary>
/// <param name="Time">When (UTC).</param>
/// <param name="Actor">The API token's name (or <c>anonymous</c> without authentication).</param>
/// <param name="Action">e.g. <c>label.create</c>, <c>label.delete</c>, <c>condition.create</c>.</param>
/// <param name="Detail">What was written (ids, ranges, codes; never a token).</param>
public sealed record AuditEntry(DateTimeOffset Time, string Actor, string Action, string Detail);
