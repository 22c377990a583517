using PvMonitor.Monitoring.Storage.Influx.Spool;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>A snapshot of the writer for metrics and health checks. Counts are points since the writer started.</summary>
/// <param name="State">Online, Spooling, SpoolFull, Waiting or Stopped.</param>
/// <param name="PointsAccepted">Points taken by <c>WriteAsync</c>.</param>
/// <param name="PointsWritten">Points the server stored (direct writes and replays).</param>
/// <param name="PointsSpooled">Points put in the disk spool.</param>
/// <param name="PointsReplayed">Points written to the server from the spool.</param>
/// <param name="PointsDeadLettered">Points the server refused as bad data, set aside with its message.</param>
/// <param name="PointsInMemory">Points accepted but not yet durable (in batches being filled or sent).</param>
/// <param name="FailedRequests">Write requests that did not store their lines (not counting 400 splits).</param>
/// <param name="LastError">The last failure, e.g. <c>Retryable (HTTP 503): …</c>; null when none.</param>
/// <param name="LastErrorAt">When <paramref name="LastError"/> happened.</param>
/// <param name="LastWriteAt">When the server last stored a batch.</param>
/// <param name="Spool">The spool's own status; null when no spool is configured.</param>
/// <param name="RecentDeadLetters">The last few dead letters (newest last).</param>
public sealed record InfluxWriterStatus(
    InfluxWriterState State,
    long PointsAccepted,
    long PointsWritten,
    long PointsSpooled,
    long PointsReplayed,
    long PointsDeadLettered,
    long PointsInMemory,
    long FailedRequests,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastWriteAt,
    SpoolStatus? Spool,
    IReadOnlyList<DeadLetter> RecentDeadLetters)
{
    /// <summary>True when the spool has reached its bound (writes are being held back).</summary>
    public bool IsSpoolFull => State == InfluxWriterState.SpoolFull;

    /// <summary>True while points are being stored or safely spooled (Online or Spooling).</summary>
    public bool IsHealthy => State is InfluxWriterState.Online or InfluxWriterState.Spooling;
}
