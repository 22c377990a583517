using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Writing;

/// <summary>
/// The whole writer on the v2 path — our batching, retries (Polly), spool, bisection and dead letters around InfluxDB.Client's
/// WriteApiAsync — against <see cref="InfluxV2StandIn"/> (a stand-in: no InfluxDB 2.x/3.x server can be installed here).
/// Real clock, short delays.
/// </summary>
public sealed class InfluxV2WriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<DeadLetter> _deadLetters = [];

    public void Dispose() => _dir.Dispose();

    private InfluxOptions Options(InfluxV2StandIn server, bool spool = true, int batch = 10, int maxRetries = 2) => new()
    {
        Url = server.Url,
        Version = 2,
        Org = server.Org,
        Bucket = server.Bucket,
        Token = server.Token,
        BatchSize = batch,
        FlushIntervalMs = 20,
        SpoolPath = spool ? _dir.Combine("spool") : null,
        SpoolFsync = false,
        DeadLetterPath = null,
        RetryBaseDelayMs = 20,
        RetryMaxDelayMs = 200,
        MaxRetries = maxRetries,
        RequestTimeoutMs = 20_000,
        ShutdownTimeoutMs = 5_000,
    };

    private InfluxWriter Writer(InfluxOptions options) => new(options, deadLetters: new ListSink(_deadLetters), random: new Random(1).NextDouble);

    private static PointData Point(int i, string? field = null) =>
        PointData.Measurement("pv").Tag("string", $"s{i % 3}").Field(field ?? "n", i).Timestamp(1_000 + i, WritePrecision.Milliseconds);

    private static string Stored(int i) => $"pv,string=s{i % 3} n={i}i {1_000 + i}";

    [Fact]
    public async Task Points_written_through_the_client_arrive_in_order_with_millisecond_precision()
    {
        await using var server = new InfluxV2StandIn();
        await using (var writer = Writer(Options(server)))
        {
            var tasks = Enumerable.Range(0, 25).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
            writer.Status.PointsWritten.Should().Be(25);
        }

        server.Stored.Should().Equal(Enumerable.Range(0, 25).Select(Stored));
        server.Requests.Should().OnlyContain(r => r.PathAndQuery.Contains("precision=ms") && r.Headers["Authorization"] == "Token " + server.Token);
    }

    [Fact]
    public async Task Nothing_is_acknowledged_before_the_server_answered_the_write()
    {
        await using var server = new InfluxV2StandIn();
        server.Hold();
        await using var writer = Writer(Options(server));

        var tasks = Enumerable.Range(0, 10).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();
        await Eventually.TrueAsync(() => server.Requests.Count == 1, because: "the full batch was sent");
        await Task.Delay(200);

        tasks.Should().OnlyContain(t => !t.IsCompleted, "the request is out but the server has not answered");
        server.Release();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
        server.Stored.Should().HaveCount(10);
    }

    [Fact]
    public async Task A_503_and_a_429_with_retry_after_are_retried_in_line_by_the_polly_pipeline()
    {
        await using var server = new InfluxV2StandIn();
        server.FailNext(503);
        server.FailNext(429, retryAfterSeconds: 0);
        await using var writer = Writer(Options(server));

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => writer.WriteAsync(Point(i)).AsTask())).WaitAsync(TimeSpan.FromSeconds(10));

        server.Requests.Should().HaveCount(3, "two refused attempts, then the write");
        server.Stored.Should().Equal(Enumerable.Range(0, 10).Select(Stored));
        writer.Status.PointsSpooled.Should().Be(0);
    }

    [Fact]
    public async Task While_the_server_answers_503_batches_are_spooled_acknowledged_and_replayed_in_order_afterwards()
    {
        await using var server = new InfluxV2StandIn();
        server.FailNext(503, times: 6);
        await using var writer = Writer(Options(server, maxRetries: 1));

        var first = Enumerable.Range(0, 10).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();
        await Task.WhenAll(first).WaitAsync(TimeSpan.FromSeconds(10));
        writer.Status.PointsSpooled.Should().BeGreaterThan(0, "the batch was made durable on disk while the server refused");
        var second = Enumerable.Range(10, 10).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();
        await Task.WhenAll(second).WaitAsync(TimeSpan.FromSeconds(10));

        await Eventually.TrueAsync(() => server.Stored.Count == 20 && writer.State == InfluxWriterState.Online);
        server.Stored.Should().Equal(Enumerable.Range(0, 20).Select(Stored), "the spool replays oldest first");
    }

    [Fact]
    public async Task A_wrong_token_keeps_every_point_in_the_spool_instead_of_dropping_it()
    {
        await using var server = new InfluxV2StandIn();
        var options = Options(server);
        options.Token = "revoked";
        await using var writer = Writer(options);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => writer.WriteAsync(Point(i)).AsTask())).WaitAsync(TimeSpan.FromSeconds(10));

        writer.Status.Should().Match<InfluxWriterStatus>(s => s.PointsSpooled == 10 && s.PointsWritten == 0 && s.PointsDeadLettered == 0);
        writer.Status.LastError.Should().Contain("401");
        server.Stored.Should().BeEmpty();
        _deadLetters.Should().BeEmpty();
    }

    [Fact]
    public async Task A_batch_the_server_refuses_with_400_is_split_until_the_bad_line_is_dead_lettered()
    {
        await using var server = new InfluxV2StandIn();
        await using var writer = Writer(Options(server, batch: 8));

        var tasks = Enumerable.Range(0, 8).Select(i => writer.WriteAsync(Point(i, i == 5 ? "BAD" : null)).AsTask()).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));

        _deadLetters.Should().ContainSingle().Which.Line.Should().Contain("BAD=5i");
        _deadLetters[0].HttpStatus.Should().Be(400);
        server.Stored.Distinct().Should().BeEquivalentTo(Enumerable.Range(0, 8).Where(i => i != 5).Select(Stored));
    }

    [Fact]
    public async Task A_batch_over_the_servers_size_limit_is_split_into_requests_it_accepts()
    {
        await using var server = new InfluxV2StandIn { MaxBodyBytes = 120 };
        await using var writer = Writer(Options(server, batch: 10));

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => writer.WriteAsync(Point(i)).AsTask())).WaitAsync(TimeSpan.FromSeconds(10));

        server.Stored.Should().Equal(Enumerable.Range(0, 10).Select(Stored));
        server.Requests.Count.Should().BeGreaterThan(2);
        _deadLetters.Should().BeEmpty();
    }

    [Fact]
    public async Task A_backlog_spooled_by_one_process_is_replayed_before_new_points_by_the_next()
    {
        await using var server = new InfluxV2StandIn();
        var options = Options(server, maxRetries: 0);
        options.Token = "not-yet-valid";
        await using (var first = Writer(options))
        {
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => first.WriteAsync(Point(i)).AsTask())).WaitAsync(TimeSpan.FromSeconds(10));
            first.Status.PointsSpooled.Should().Be(20);
        }

        await using var second = Writer(Options(server));
        await second.WriteAsync(Point(20)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => server.Stored.Count == 21);

        server.Stored.Should().Equal(Enumerable.Range(0, 21).Select(Stored));
        second.Status.PointsReplayed.Should().BeGreaterThanOrEqualTo(20, "the backlog is replayed (a new batch that arrives meanwhile queues behind it)");
    }

    [Fact]
    public async Task The_result_store_on_the_v2_path_completes_a_batch_only_after_the_server_stored_it()
    {
        await using var server = new InfluxV2StandIn();
        server.Hold();
        await using var store = new InfluxResultStore(Writer(Options(server, batch: 1_000)));
        var batch = new ResultBatch();
        var key = new StringKey("p1", "inv1", "s1");
        for (var m = 0; m < 5; m++)
            batch.Telemetry.Add(new TelemetryRecord(key, new TelemetrySample(new DateTimeOffset(2026, 6, 1, 8, m, 0, TimeSpan.Zero), 8, 600, 800, 20, 40, 2)));

        var write = store.WriteAsync(batch).AsTask();
        store.RequestFlush();
        await Eventually.TrueAsync(() => server.Requests.Count == 1, because: "the batch was sent");
        await Task.Delay(200);
        write.IsCompleted.Should().BeFalse("its MQTT messages must not be acknowledged before the server answered");

        server.Release();
        await write.WaitAsync(TimeSpan.FromSeconds(10));
        server.Stored.Should().HaveCount(5).And.OnlyContain(l => l.StartsWith("pv_telemetry,inverter=inv1,plant=p1,string=s1 "));
    }

    private sealed class ListSink(List<DeadLetter> letters) : IDeadLetterSink
    {
        public void Write(DeadLetter letter)
        {
            lock (letters) letters.Add(letter);
        }
    }
}
