namespace PvMonitor.Monitoring.Storage.Influx.Spool;

/// <summary>A snapshot of a <see cref="DiskSpool"/> for metrics and health checks.</summary>
/// <param name="SizeBytes">Bytes of segment files on disk (bytes).</param>
/// <param name="MaxBytes">The bound on <paramref name="SizeBytes"/> (bytes).</param>
/// <param name="PendingRecords">Records not yet acknowledged.</param>
/// <param name="PendingPoints">Points in those records.</param>
/// <param name="Segments">Segment files on disk.</param>
/// <param name="IsFull">True after an append was refused for lack of room, until room is made.</param>
/// <param name="CorruptRecordsSkipped">Records whose payload checksum failed, skipped since the spool was opened.</param>
/// <param name="BytesSkipped">Bytes of torn or unreadable data skipped or truncated since the spool was opened.</param>
public sealed record SpoolStatus(
    long SizeBytes,
    long MaxBytes,
    long PendingRecords,
    long PendingPoints,
    int Segments,
    bool IsFull,
    long CorruptRecordsSkipped,
    long BytesSkipped)
{
    /// <summary>True when nothing waits to be replayed.</summary>
    public bool IsEmpty => PendingRecords == 0;
}
