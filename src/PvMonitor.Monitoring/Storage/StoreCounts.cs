namespace PvMonitor.Monitoring.Storage;

/// <summary>Row counts of a result store.</summary>
/// <param name="Telemetry">Rows in <c>pv_telemetry</c>.</param>
/// <param name="Conditions">Rows in <c>pv_condition</c>.</param>
/// <param name="Alerts">Rows in <c>pv_alert</c>.</param>
/// <param name="DeadLetters">Rows in <c>pv_deadletter</c>.</param>
/// <param name="Strings">Distinct strings with telemetry.</param>
public sealed record StoreCounts(long Telemetry, long Conditions, long Alerts, long DeadLetters, long Strings);
