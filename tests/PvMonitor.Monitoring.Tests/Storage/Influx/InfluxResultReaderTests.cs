using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.Query;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using PvMonitor.Monitoring.Tests.Alerts;
using PvMonitor.Monitoring.Tests.Pipeline;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Storage.Influx;

/// <summary>
/// <see cref="InfluxResultReader"/> against a real InfluxDB 1.x (<c>influxd</c>, started per test) reading what
/// <see cref="InfluxResultStore"/> wrote, and <see cref="FallbackResultReader"/> when the server is away.
/// </summary>
public sealed class InfluxResultReaderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] Classes = ["PS7", "N", "RS-4"];
    private static readonly string[] Features = ["I", "V", "G", "TExt", "TMod", "W"];

    /// <summary>A string whose tags need escaping in InfluxQL and in line protocol: quote, space, backslash, comma, equals.</summary>
    private static readonly StringKey Odd = new("O'Brien farm", "inv 1,a=b", "s'1 \\x");
    private static readonly StringKey Plain = new("p", "inv1", "s1");

    private static InfluxOptions WriterOptions(string url, string database) => new()
    {
        Url = url,
        Version = 1,
        Database = database,
        BatchSize = 1_000,
        FlushIntervalMs = 20,
        SpoolPath = null,
        DeadLetterPath = null,
        RequestTimeoutMs = 5_000,
        MaxRetries = 1,
        RetryBaseDelayMs = 50,
        RetryMaxDelayMs = 200,
    };

    private static ConditionRecord Cond(StringKey key, int minute, string condition = "PS7", double p0 = 0.7, bool anomaly = false, float[]? z = null) =>
        new(key, T0.AddMinutes(minute), "v1", condition, p0, Classes, new[] { p0, 1 - p0 - 0.125, 0.125 }, -11.5 - minute, anomaly, false)
        {
            Features = Features,
            ReconstructionZ = z ?? ReadOnlyMemory<float>.Empty,
        };

    private static TelemetryRecord Tele(StringKey key, int minute) =>
        new(key, new TelemetrySample(T0.AddMinutes(minute), 8.25 + minute, 600.5, 812.125, 20.0, 41.75, 2.5));

    private static async Task WriteAsync(string url, string database, ResultBatch batch)
    {
        await using var store = new InfluxResultStore(new InfluxWriter(WriterOptions(url, database)));
        await store.WriteAsync(batch);
    }

    /// <summary>10 minutes of two strings: minute 3 of <see cref="Odd"/> anomalous with z-scores, minute 9 at night.</summary>
    private static ResultBatch SampleBatch(out AlertEvent older, out AlertEvent newer)
    {
        var batch = new ResultBatch();
        foreach (var key in new[] { Plain, Odd })
        {
            for (var m = 0; m < 10; m++)
            {
                batch.Telemetry.Add(Tele(key, m));
                if (m == 9) batch.Conditions.Add(ConditionRecord.ForNight(key, T0.AddMinutes(m), "v1"));
                else if (key == Odd && m == 3) batch.Conditions.Add(Cond(key, m, "N", 0.25, anomaly: true, z: [0.25f, -3.1415927f, 12.5f, 1e-7f, -0.5f, 7f]));
                else batch.Conditions.Add(Cond(key, m));
            }
        }

        older = AlertJsonWriterTests.Sample with { Plant = Odd.Plant, Inverter = Odd.Inverter, Sensors = [new("V", -7.25), new("I", 3.5)] };
        newer = older with { Kind = AlertKind.FaultCleared, Time = older.Time.AddHours(2), To = older.Time.AddHours(1), Strings = ["s01"], Condition = null, Confidence = double.NaN, Sensors = [] };
        batch.Alerts.Add(older);
        batch.Alerts.Add(newer);
        batch.DeadLetters.Add(new DeadLetterRecord(T0, "pv/a/b/c/telemetry", "{bad"u8.ToArray(), DeadLetterReason.MalformedJson, "The payload is not valid JSON."));
        batch.DeadLetters.Add(new DeadLetterRecord(T0.AddSeconds(1), "pv/a/b/c/telemetry", "{}"u8.ToArray(), DeadLetterReason.Duplicate, "Already stored."));
        return batch;
    }

    [RequiresExecutableFact("influxd")]
    public async Task What_the_store_wrote_reads_back_latest_history_telemetry_alerts_dead_letters_and_counts()
    {
        await using var server = await InfluxServer.StartAsync();
        using var reader = new InfluxResultReader(new InfluxQueryClient(server.Url), "pv");
        using (var admin = new InfluxQueryClient(server.Url)) await admin.CreateDatabaseAsync("pv");
        await WriteAsync(server.Url, "pv", SampleBatch(out var older, out var newer));

        var latest = await reader.GetLatestAsync();
        latest.Select(l => l.Key).Should().Equal(Odd, Plain);
        latest.Should().AllSatisfy(l =>
        {
            l.Time.Should().Be(T0.AddMinutes(9));
            l.Night.Should().BeTrue();
            l.Condition.Should().Be("night");
            double.IsNaN(l.Confidence).Should().BeTrue();
            double.IsNaN(l.Elbo).Should().BeTrue();
            l.ModelVersion.Should().Be("v1");
        });

        var history = await reader.GetConditionHistoryAsync(Odd, T0.AddMinutes(2), T0.AddMinutes(9));
        history.Select(h => h.Time).Should().Equal(Enumerable.Range(2, 7).Select(m => T0.AddMinutes(m)), "the range is half-open, oldest first");
        history.Should().AllSatisfy(h => h.Key.Should().Be(Odd));
        var plain = history[0];
        plain.Condition.Should().Be("PS7");
        plain.Confidence.Should().Be(0.7);
        plain.Elbo.Should().Be(-13.5);
        plain.Anomaly.Should().BeFalse();
        plain.ClassCodes.Zip(plain.Probabilities.ToArray()).Should().BeEquivalentTo(
            new[] { ("N", 1 - 0.7 - 0.125), ("PS7", 0.7), ("RS-4", 0.125) }.Select(p => (p.Item1, p.Item2)), "fields come back in name order");
        plain.Features.Should().BeNull("no z_ field was written on this row");
        plain.ReconstructionZ.IsEmpty.Should().BeTrue();
        var anomalous = history[1];
        anomalous.Anomaly.Should().BeTrue();
        anomalous.Condition.Should().Be("N");
        anomalous.Features!.Zip(anomalous.ReconstructionZ.ToArray()).Should().BeEquivalentTo(
            Features.Zip(new[] { 0.25f, -3.1415927f, 12.5f, 1e-7f, -0.5f, 7f }), "z-scores are read back exactly");
        (await reader.GetConditionHistoryAsync(Odd, T0, T0.AddHours(1), limit: 3)).Select(h => h.Time).Should().Equal(T0, T0.AddMinutes(1), T0.AddMinutes(2));
        (await reader.GetConditionHistoryAsync(new StringKey("O'Brien farm", "inv 1,a=b", "s'1"), T0, T0.AddHours(1))).Should().BeEmpty("the tag value is matched exactly");

        var telemetry = await reader.GetTelemetryAsync(Odd, T0.AddMinutes(4), T0.AddMinutes(6));
        telemetry.Should().Equal(Tele(Odd, 4), Tele(Odd, 5));
        (await reader.GetTelemetryAsync(Plain, T0, T0.AddHours(1), limit: 4)).Should().HaveCount(4);

        var alerts = await reader.GetAlertsAsync();
        alerts.Should().HaveCount(2);
        alerts[0].Kind.Should().Be(AlertKind.FaultCleared);
        alerts[0].Condition.Should().BeNull();
        double.IsNaN(alerts[0].Confidence).Should().BeTrue();
        (alerts[0] with { Strings = newer.Strings }).Should().Be(newer);
        alerts[1].Strings.Should().Equal(older.Strings);
        (alerts[1] with { Strings = older.Strings, Sensors = older.Sensors }).Should().Be(older);
        alerts[1].Sensors.Should().Equal(older.Sensors);
        (await reader.GetAlertsAsync(from: older.Time.AddMinutes(1))).Should().ContainSingle().Which.Kind.Should().Be(AlertKind.FaultCleared);
        (await reader.GetAlertsAsync(to: older.Time.AddMinutes(1))).Should().ContainSingle().Which.Kind.Should().Be(AlertKind.FaultEntered);
        (await reader.GetAlertsAsync(limit: 1)).Should().ContainSingle().Which.Kind.Should().Be(AlertKind.FaultCleared);

        var letters = await reader.GetDeadLettersAsync();
        letters.Select(d => d.Reason).Should().Equal(DeadLetterReason.Duplicate, DeadLetterReason.MalformedJson);
        letters[1].Received.Should().Be(T0);
        letters[1].Topic.Should().Be("pv/a/b/c/telemetry");
        letters[1].Payload.ToArray().Should().Equal("{bad"u8.ToArray());
        letters[1].Message.Should().Be("The payload is not valid JSON.");
        (await reader.GetDeadLettersAsync(limit: 1)).Should().ContainSingle().Which.Reason.Should().Be(DeadLetterReason.Duplicate);

        (await reader.GetCountsAsync()).Should().Be(new StoreCounts(Telemetry: 20, Conditions: 20, Alerts: 2, DeadLetters: 2, Strings: 2));
    }

    [RequiresExecutableFact("influxd")]
    public async Task Counts_are_reused_for_their_max_age_so_polling_does_not_rescan_the_database()
    {
        await using var server = await InfluxServer.StartAsync();
        using (var admin = new InfluxQueryClient(server.Url)) await admin.CreateDatabaseAsync("pv");
        using var cached = new InfluxResultReader(new InfluxQueryClient(server.Url), "pv", countsMaxAge: TimeSpan.FromHours(1));
        using var uncached = new InfluxResultReader(new InfluxQueryClient(server.Url), "pv", countsMaxAge: TimeSpan.Zero);
        var first = new ResultBatch();
        first.Telemetry.Add(Tele(Plain, 0));
        await WriteAsync(server.Url, "pv", first);
        (await cached.GetCountsAsync()).Telemetry.Should().Be(1);

        var second = new ResultBatch();
        second.Telemetry.Add(Tele(Plain, 1));
        await WriteAsync(server.Url, "pv", second);
        (await cached.GetCountsAsync()).Telemetry.Should().Be(1, "the count is reused within its max age");
        (await uncached.GetCountsAsync()).Telemetry.Should().Be(2, "with a zero max age every call counts");
    }

    [RequiresExecutableFact("influxd")]
    public async Task An_empty_database_reads_as_empty_and_a_missing_one_fails_with_the_servers_message()
    {
        await using var server = await InfluxServer.StartAsync();
        using (var admin = new InfluxQueryClient(server.Url)) await admin.CreateDatabaseAsync("empty");
        using var reader = new InfluxResultReader(new InfluxQueryClient(server.Url), "empty");

        (await reader.GetLatestAsync()).Should().BeEmpty();
        (await reader.GetConditionHistoryAsync(Plain, T0, T0.AddDays(1))).Should().BeEmpty();
        (await reader.GetAlertsAsync()).Should().BeEmpty();
        (await reader.GetDeadLettersAsync()).Should().BeEmpty();
        (await reader.GetCountsAsync()).Should().Be(new StoreCounts(0, 0, 0, 0, 0));

        using var missing = new InfluxResultReader(new InfluxQueryClient(server.Url), "nope");
        var act = () => missing.GetLatestAsync();
        await act.Should().ThrowAsync<InfluxQueryException>().WithMessage("*database not found*");
    }

    [RequiresExecutableFact("influxd")]
    public async Task While_the_server_is_killed_the_cache_answers_and_the_database_answers_again_after_restart()
    {
        await using var server = await InfluxServer.StartAsync();
        using (var admin = new InfluxQueryClient(server.Url)) await admin.CreateDatabaseAsync("pv");
        var time = new FakeTimeProvider(T0);
        var log = new ListLogger();
        await using var cache = new RecentResultsCache(new InfluxResultStore(new InfluxWriter(WriterOptions(server.Url, "pv"))), historyPerString: 4);
        using var influx = new InfluxResultReader(new InfluxQueryClient(server.Url), "pv");
        var reader = new FallbackResultReader(influx, cache, time, log, TimeSpan.FromSeconds(5));
        var batch = new ResultBatch();
        for (var m = 0; m < 10; m++) batch.Conditions.Add(Cond(Plain, m));
        await cache.WriteAsync(batch);

        (await reader.GetConditionHistoryAsync(Plain, T0, T0.AddHours(1))).Should().HaveCount(10, "InfluxDB has all rows, the cache only 4");

        server.Kill();
        (await reader.GetConditionHistoryAsync(Plain, T0, T0.AddHours(1))).Should().HaveCount(4, "the cache answers");
        reader.UsingFallback.Should().BeTrue();
        log.Entries.Should().ContainSingle().Which.Should().StartWith("Warning: Result reads from the database failed");

        await server.RestartAsync();
        (await reader.GetCountsAsync()).Conditions.Should().Be(10, "the cache counts since start too, but answers while the database rests");
        (await reader.GetConditionHistoryAsync(Plain, T0, T0.AddHours(1))).Should().HaveCount(4, "the database rests for 5 s after a failure");
        time.Advance(TimeSpan.FromSeconds(5));
        (await reader.GetConditionHistoryAsync(Plain, T0, T0.AddHours(1))).Should().HaveCount(10);
        reader.UsingFallback.Should().BeFalse();
        log.Entries.Should().HaveCount(2);
        log.Entries[1].Should().StartWith("Information: Result reads from the database work again after 1 failed attempts");
    }

    [Fact]
    public async Task When_the_query_endpoint_is_down_the_cache_answers_and_one_warning_is_logged_per_failure_streak()
    {
        // Nothing listens on this port: every query fails with a refused connection, as when influxd is down.
        var url = $"http://127.0.0.1:{ExternalProgram.FreeTcpPort()}";
        var time = new FakeTimeProvider(T0);
        var log = new ListLogger();
        var inner = new RecordingStore();
        await using var cache = new RecentResultsCache(inner);
        using var influx = new InfluxResultReader(new InfluxQueryClient(url), "pv");
        var reader = new FallbackResultReader(influx, cache, time, log, TimeSpan.Zero);
        var batch = SampleBatch(out _, out var newer);
        await cache.WriteAsync(batch);

        var latest = await reader.GetLatestAsync();
        var history = await reader.GetConditionHistoryAsync(Plain, T0, T0.AddHours(1));
        var telemetry = await reader.GetTelemetryAsync(Plain, T0, T0.AddHours(1));
        var alerts = await reader.GetAlertsAsync();
        var letters = await reader.GetDeadLettersAsync();
        var counts = await reader.GetCountsAsync();

        inner.Writes.Should().Be(1);
        latest.Select(l => l.Key).Should().BeEquivalentTo(new[] { Odd, Plain });
        history.Should().HaveCount(10);
        telemetry.Should().HaveCount(10);
        alerts[0].Should().Be(newer);
        letters.Should().HaveCount(2);
        counts.Should().Be(new StoreCounts(20, 20, 2, 2, 2));
        reader.UsingFallback.Should().BeTrue();
        log.Entries.Should().ContainSingle("six failed reads in a row are one streak")
            .Which.Should().Contain("in-memory cache of recent results");
    }

    [Fact]
    public void String_literals_escape_quotes_backslashes_and_line_breaks()
    {
        InfluxQueryClient.QuoteString("O'Brien farm").Should().Be("'O\\'Brien farm'");
        InfluxQueryClient.QuoteString("a\\b\nc").Should().Be("'a\\\\b\\nc'");
        InfluxQueryClient.QuoteString("").Should().Be("''");
    }

    /// <summary>Keeps "Level: message" of every log entry.</summary>
    private sealed class ListLogger : ILogger
    {
        private readonly List<string> _entries = [];

        public IReadOnlyList<string> Entries
        {
            get
            {
                lock (_entries) return [.. _entries];
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries) _entries.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
