using PvMonitor.Monitoring.Alerts;

namespace PvMonitor.Monitoring.Storage;

/// <summary>
/// Everything one write of the worker carries. Reusable: <see cref="Clear"/> after the write returned (the store does not keep
/// references to the lists or memory after <see cref="IResultStore.WriteAsync"/> completes).
/// </summary>
public sealed class ResultBatch
{
    /// <summary>Rows for <c>pv_telemetry</c>.</summary>
    public List<TelemetryRecord> Telemetry { get; } = [];

    /// <summary>Rows for <c>pv_condition</c>.</summary>
    public List<ConditionRecord> Conditions { get; } = [];

    /// <summary>Rows for <c>pv_alert</c>.</summary>
    public List<AlertEvent> Alerts { get; } = [];

    /// <summary>Rows for <c>pv_deadletter</c>.</summary>
    public List<DeadLetterRecord> DeadLetters { get; } = [];

    /// <summary>Total rows.</summary>
    public int Count => Telemetry.Count + Conditions.Count + Alerts.Count + DeadLetters.Count;

    /// <summary>True when there is nothing to write.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>Empties all lists (keeps their capacity).</summary>
    public void Clear()
    {
        Telemetry.Clear();
        Conditions.Clear();
        Alerts.Clear();
        DeadLetters.Clear();
    }
}
