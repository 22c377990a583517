using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Writing;

public class InfluxWriterMetricsTests
{
    [Fact]
    public async Task Instruments_report_the_writers_counts()
    {
        var server = new FakeEndpoint();
        var options = new InfluxOptions { Version = 1, SpoolPath = null, DeadLetterPath = null, BatchSize = 3 };
        await using var writer = new InfluxWriter(options, server, timeProvider: new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero)));
        using var metrics = new InfluxWriterMetrics(writer);
        var writes = Enumerable.Range(0, 3)
            .Select(i => writer.WriteAsync(PointData.Measurement("m").Field("n", i).Timestamp(i, WritePrecision.Seconds)).AsTask()).ToArray();
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(10)); // the third point fills the batch

        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == InfluxWriterMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        seen["pvmonitor.influx.points.written"].Should().Be(3);
        seen["pvmonitor.influx.points.accepted"].Should().Be(3);
        seen["pvmonitor.influx.points.in_memory"].Should().Be(0);
        seen["pvmonitor.influx.spool.full"].Should().Be(0);
    }
}
