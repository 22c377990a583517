namespace PvMonitor.Monitoring.Storage;

/// <summary>
/// Where the worker writes its results (the embedded SQLite store, or InfluxDB). Implementations must be idempotent per
/// (plant, inverter, string, time) for telemetry and conditions — a second write of the same key overwrites — so that an
/// at-least-once redelivery never duplicates a sample.
/// </summary>
public interface IResultStore : IAsyncDisposable
{
    /// <summary>
    /// Writes <paramref name="batch"/> and completes only when it is durable (committed or spooled): only then may the
    /// MQTT messages behind it be acknowledged. Safe to call from several threads (writes are serialised).
    /// </summary>
    /// <exception cref="StoreWriteException">The write failed; nothing in the batch may be acknowledged.</exception>
    ValueTask WriteAsync(ResultBatch batch, CancellationToken cancellationToken = default);
}
