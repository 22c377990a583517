using PvMonitor.Monitoring.Ingest;

namespace PvMonitor.Monitoring.Storage;

/// <summary>One rejected message for <c>pv_deadletter</c>.</summary>
/// <param name="Received">When the worker received it (UTC, from its clock).</param>
/// <param name="Topic">The MQTT topic as received.</param>
/// <param name="Payload">The raw payload bytes, unchanged.</param>
/// <param name="Reason">Why it was rejected (stored as <see cref="DeadLetterReasonExtensions.ToLabel"/>).</param>
/// <param name="Message">Explanation naming the field.</param>
public readonly record struct DeadLetterRecord(DateTimeOffset Received, string Topic, ReadOnlyMemory<byte> Payload, DeadLetterReason Reason, string Message);
