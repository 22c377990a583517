using System.Diagnostics.Metrics;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>
/// Publishes a writer's status as <see cref="System.Diagnostics.Metrics"/> instruments on meter <see cref="MeterName"/>
/// (for OpenTelemetry or dotnet-counters): point counters (written, spooled, replayed, dead-lettered, accepted; unit
/// <c>{point}</c>), failed requests, points in memory, spool bytes and pending points, and <c>pvmonitor.influx.spool.full</c>
/// (1 while the spool is full). All observable: nothing is recorded on the write path. The worker exports them on
/// <c>/metrics</c> as <c>pvmonitor_influx_points_written_total</c>, <c>pvmonitor_influx_points_in_memory</c>,
/// <c>pvmonitor_influx_spool_bytes</c>, <c>pvmonitor_influx_spool_pending_points</c>, <c>pvmonitor_influx_spool_full</c> ….
/// </summary>
public sealed class InfluxWriterMetrics : IDisposable
{
    /// <summary>The meter name: <c>PvMonitor.Influx</c>.</summary>
    public const string MeterName = "PvMonitor.Influx";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    /// <summary>Registers the instruments for <paramref name="writer"/> on a meter from <paramref name="meterFactory"/> (or a new one).</summary>
    public InfluxWriterMetrics(InfluxWriter writer, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        var counters = writer.Counters;
        _meter.CreateObservableCounter("pvmonitor.influx.points.accepted", () => Interlocked.Read(ref counters.Accepted), "{point}", "Points taken by WriteAsync");
        _meter.CreateObservableCounter("pvmonitor.influx.points.written", () => Interlocked.Read(ref counters.Written), "{point}", "Points stored by the server");
        _meter.CreateObservableCounter("pvmonitor.influx.points.spooled", () => Interlocked.Read(ref counters.Spooled), "{point}", "Points put in the disk spool");
        _meter.CreateObservableCounter("pvmonitor.influx.points.replayed", () => Interlocked.Read(ref counters.Replayed), "{point}", "Points written from the spool");
        _meter.CreateObservableCounter("pvmonitor.influx.points.dead_lettered", () => Interlocked.Read(ref counters.DeadLettered), "{point}", "Points refused as bad data");
        _meter.CreateObservableCounter("pvmonitor.influx.requests.failed", () => Interlocked.Read(ref counters.FailedRequests), "{request}", "Write requests that stored nothing");
        _meter.CreateObservableUpDownCounter("pvmonitor.influx.points.in_memory", () => Interlocked.Read(ref counters.InMemory), "{point}", "Points accepted, not yet durable");
        _meter.CreateObservableUpDownCounter("pvmonitor.influx.spool.bytes", () => writer.SpoolStatus?.SizeBytes ?? 0, "By", "Bytes in the spool");
        _meter.CreateObservableUpDownCounter("pvmonitor.influx.spool.pending_points", () => writer.SpoolStatus?.PendingPoints ?? 0, "{point}", "Points waiting in the spool");
        _meter.CreateObservableGauge("pvmonitor.influx.spool.full", () => writer.State == InfluxWriterState.SpoolFull ? 1 : 0, null, "1 while the spool is full and writes wait");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }
}
