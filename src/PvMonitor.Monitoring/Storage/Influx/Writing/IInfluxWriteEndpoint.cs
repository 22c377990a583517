using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>
/// Sends line-protocol text to a server in one request and reports what it said. One method that may throw:
/// retries, splitting, spooling and dead-lettering live in the writer, not here.
/// </summary>
public interface IInfluxWriteEndpoint
{
    /// <summary>Posts <paramref name="lines"/> (complete lines, each ending in <c>\n</c>) with timestamps in <paramref name="precision"/>.</summary>
    ValueTask<WriteResult> WriteAsync(ReadOnlyMemory<byte> lines, WritePrecision precision, CancellationToken cancellationToken);
}
