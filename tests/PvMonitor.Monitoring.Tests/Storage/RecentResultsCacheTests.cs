using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Tests.Pipeline;

namespace PvMonitor.Monitoring.Tests.Storage;

public sealed class RecentResultsCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly StringKey Key = new("p", "i", "s1");

    private static ResultBatch Batch(int from, int count)
    {
        var batch = new ResultBatch();
        for (var k = from; k < from + count; k++)
        {
            var t = T0.AddMinutes(k);
            batch.Telemetry.Add(new TelemetryRecord(Key, new TelemetrySample(t, 8, 600, 800, 20, 40, 3)));
            batch.Conditions.Add(new ConditionRecord(Key, t, "v1", "N", 0.9, ["N", "PS7"], new double[] { 0.9, 0.1 }, -5, false, false));
        }

        return batch;
    }

    [Fact]
    public async Task It_keeps_a_bounded_history_the_latest_state_and_counts_after_the_inner_write()
    {
        var inner = new RecordingStore();
        var cache = new RecentResultsCache(inner, historyPerString: 10, recentEvents: 2);
        await cache.WriteAsync(Batch(0, 25));
        var alert = new AlertEvent("p", "i", ["s1"], AlertKind.FaultEntered, false, "PS7", 0.9, -5, T0, null, T0, "v1", "http://x");
        var withEvents = new ResultBatch();
        for (var k = 0; k < 3; k++) withEvents.Alerts.Add(alert with { Time = T0.AddMinutes(k) });
        withEvents.DeadLetters.Add(new DeadLetterRecord(T0, "t", new byte[] { 1, 2 }, DeadLetterReason.MalformedJson, "bad"));
        await cache.WriteAsync(withEvents);

        inner.Telemetry.Should().HaveCount(25);
        var history = await cache.GetConditionHistoryAsync(Key, T0, T0.AddDays(1));
        history.Should().HaveCount(10);
        history[0].Time.Should().Be(T0.AddMinutes(15));
        history[0].Probabilities.IsEmpty.Should().BeTrue("the batch's memory is reused after the write, so only scalars are kept");
        (await cache.GetTelemetryAsync(Key, T0.AddMinutes(20), T0.AddMinutes(22))).Select(t => t.Sample.Time).Should().Equal(T0.AddMinutes(20), T0.AddMinutes(21));
        var latest = (await cache.GetLatestAsync()).Should().ContainSingle().Subject;
        latest.Time.Should().Be(T0.AddMinutes(24));
        latest.Condition.Should().Be("N");
        (await cache.GetAlertsAsync()).Select(a => a.Time).Should().Equal(T0.AddMinutes(2), T0.AddMinutes(1));
        (await cache.GetDeadLettersAsync()).Should().ContainSingle().Which.Payload.ToArray().Should().Equal(1, 2);
        (await cache.GetCountsAsync()).Should().Be(new StoreCounts(25, 25, 3, 1, 1));
    }

    [Fact]
    public async Task A_failed_inner_write_changes_nothing()
    {
        var cache = new RecentResultsCache(new RecordingStore(failFirstWrites: 1));
        var write = async () => await cache.WriteAsync(Batch(0, 3));
        await write.Should().ThrowAsync<StoreWriteException>();
        (await cache.GetCountsAsync()).Telemetry.Should().Be(0);
        (await cache.GetLatestAsync()).Should().BeEmpty();
    }
}
