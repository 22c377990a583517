using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Writing;

public class InfluxWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DelayRecordingTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeEndpoint _server = new();
    private readonly List<DeadLetter> _deadLetters = [];

    public void Dispose() => _dir.Dispose();

    private InfluxOptions Options(bool spool = true, int batch = 10) => new()
    {
        Version = 1,
        BatchSize = batch,
        FlushIntervalMs = 1000,
        SpoolPath = spool ? _dir.Combine("spool") : null,
        SpoolFsync = false,
        DeadLetterPath = null,
        RetryBaseDelayMs = 100,
        RetryMaxDelayMs = 2000,
        MaxRetries = 2,
        ShutdownTimeoutMs = 0, // the manual clock never reaches a shutdown deadline: stop at once (tests needing a wait set one)
    };

    private InfluxWriter Writer(InfluxOptions options) =>
        new(options, _server, new ListSink(_deadLetters), _time, new Random(1).NextDouble);

    private static PointData Point(int i, string? extra = null)
    {
        var p = PointData.Measurement("pv").Tag("string", $"s{i % 3}").Field("n", i).Timestamp(1_000 + i, WritePrecision.Milliseconds);
        if (extra is not null) p.Field("note", extra);
        return p;
    }

    private static string Stored(int i) => $"pv,string=s{i % 3} n={i}i {1_000 + i}";

    [Fact]
    public async Task Full_batches_are_sent_at_once_and_a_points_task_completes_when_it_is_written()
    {
        await using var writer = Writer(Options(spool: false));
        var tasks = Enumerable.Range(0, 25).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();

        await Task.WhenAll(tasks[..20]).WaitAsync(TimeSpan.FromSeconds(5));
        _server.RequestLineCounts.Should().Equal(10, 10);
        tasks[20..].Should().OnlyContain(t => !t.IsCompleted, "the third batch waits for its flush interval");

        _time.Advance(TimeSpan.FromMilliseconds(1000));
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(5));
        _server.RequestLineCounts.Should().Equal(10, 10, 5);
        _server.Stored.Should().Equal(Enumerable.Range(0, 25).Select(Stored));
        _server.LastPrecision.Should().Be(WritePrecision.Milliseconds);
        writer.Status.Should().Match<InfluxWriterStatus>(s => s.PointsWritten == 25 && s.PointsAccepted == 25 && s.PointsInMemory == 0 && s.State == InfluxWriterState.Online);
    }

    [Fact]
    public async Task A_partial_batch_goes_out_exactly_one_flush_interval_after_its_first_point()
    {
        await using var writer = Writer(Options(spool: false));
        var first = writer.WriteAsync(Point(0)).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(600));
        var second = writer.WriteAsync(Point(1)).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(399));
        await Task.Delay(50);
        _server.Requests.Should().Be(0);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));
        _server.RequestLineCounts.Should().Equal(2);
    }

    [Fact]
    public async Task A_batch_due_while_the_sender_is_busy_keeps_filling_and_leaves_as_one_request_when_the_sender_is_free()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.HoldUntil = release.Task;
        await using var writer = Writer(Options(spool: false, batch: 100));
        var first = writer.WriteAsync(Point(0)).AsTask();
        _ = writer.FlushAsync(); // the sender is idle: sealed and sent at once (the server holds it)
        await Eventually.TrueAsync(() => _server.Started == 1);

        var later = new List<Task> { writer.WriteAsync(Point(1)).AsTask(), writer.WriteAsync(Point(2)).AsTask() };
        var flush = writer.FlushAsync(); // due, but the sender is busy: the batch stays open
        later.Add(writer.WriteAsync(Point(3)).AsTask());
        _time.Advance(TimeSpan.FromMilliseconds(1000)); // its flush interval passes too
        later.Add(writer.WriteAsync(Point(4)).AsTask());
        await Task.Delay(100);
        _server.Started.Should().Be(1, "nothing else is sent while the first request is out");
        first.IsCompleted.Should().BeFalse();

        release.SetResult();
        await Task.WhenAll(later.Append(first).Append(flush)).WaitAsync(TimeSpan.FromSeconds(5));
        _server.RequestLineCounts.Should().Equal(1, 4);
        _server.Stored.Should().Equal(Enumerable.Range(0, 5).Select(Stored));
    }

    [Fact]
    public async Task A_flush_with_nothing_in_flight_sends_at_once()
    {
        await using var writer = Writer(Options(spool: false, batch: 100));
        var point = writer.WriteAsync(Point(0)).AsTask();
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5));
        point.IsCompletedSuccessfully.Should().BeTrue();
        _server.RequestLineCounts.Should().Equal(1);
    }

    [Fact]
    public async Task Points_without_a_timestamp_get_the_writer_clock_time()
    {
        await using var writer = Writer(Options(spool: false));
        var write = writer.WriteAsync(PointData.Measurement("pv").Field("v", 1.5));
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5));
        await write;
        _server.Stored.Should().Equal($"pv v=1.5 {_time.GetUtcNow().ToUnixTimeMilliseconds()}");
    }

    [Fact]
    public async Task While_the_server_is_down_batches_are_spooled_durably_and_replayed_in_order_when_it_returns()
    {
        _server.Down = true;
        await using var writer = Writer(Options());
        var tasks = Enumerable.Range(0, 30).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();
        // Durable although nothing reached the server: they are in the spool.
        await Eventually.TrueAsync(() => tasks.All(t => t.IsCompletedSuccessfully), _time, because: "spooled points are durable");
        _server.Stored.Should().BeEmpty();
        var status = writer.Status;
        status.State.Should().Be(InfluxWriterState.Spooling);
        status.PointsSpooled.Should().Be(30);
        status.Spool!.PendingPoints.Should().Be(30);
        status.LastError.Should().Contain("Connection refused");

        // New points while the backlog exists go behind it.
        var later = Enumerable.Range(30, 10).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();
        await Eventually.TrueAsync(() => later.All(t => t.IsCompleted), _time);

        _server.Down = false;
        await Eventually.TrueAsync(() => writer.Status.Spool!.IsEmpty && _server.Stored.Count == 40, _time, TimeSpan.FromSeconds(1));
        _server.Stored.Should().Equal(Enumerable.Range(0, 40).Select(Stored), "replay keeps write order");
        await Eventually.TrueAsync(() => writer.Status.State == InfluxWriterState.Online, _time);
        writer.Status.PointsReplayed.Should().Be(40);
    }

    [Fact]
    public async Task A_bad_line_is_isolated_by_splitting_and_dead_lettered_with_the_servers_message()
    {
        await using var writer = Writer(Options(spool: false, batch: 16));
        var tasks = Enumerable.Range(0, 16).Select(i => writer.WriteAsync(Point(i, i == 5 ? "BAD" : null)).AsTask()).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(5));

        _deadLetters.Should().ContainSingle();
        var letter = _deadLetters[0];
        letter.Line.Should().Be("pv,string=s2 n=5i,note=\"BAD\" 1005");
        letter.Reason.Should().Be("partial write: unable to parse 'pv,string=s2 n=5i,note=\"BAD\" 1005': invalid field format dropped=0");
        letter.HttpStatus.Should().Be(400);
        _server.Stored.Distinct().Should().BeEquivalentTo(Enumerable.Range(0, 16).Where(i => i != 5).Select(Stored));
        _server.Requests.Should().BeLessThanOrEqualTo(1 + 2 * 4, "bisection needs about two requests per halving");
        writer.Status.PointsDeadLettered.Should().Be(1);
        writer.Status.RecentDeadLetters.Should().ContainSingle().Which.Should().Be(letter);
    }

    [Fact]
    public async Task Splitting_follows_line_boundaries_even_when_string_fields_hold_newlines()
    {
        await using var writer = Writer(Options(spool: false, batch: 6));
        var tasks = Enumerable.Range(0, 6).Select(i => writer.WriteAsync(Point(i, i == 2 ? "BAD\nline" : i == 3 ? "two\nlines, \"quoted\"" : null)).AsTask()).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(5));
        _deadLetters.Should().ContainSingle().Which.Line.Should().Be("pv,string=s2 n=2i,note=\"BAD\nline\" 1002");
        _server.Stored.Should().Contain("pv,string=s0 n=3i,note=\"two\nlines, \\\"quoted\\\"\" 1003");
        _server.Stored.Distinct().Should().HaveCount(5);
    }

    [Fact]
    public async Task A_write_waiting_for_room_can_be_cancelled_and_later_writes_keep_their_order()
    {
        _server.Down = true;
        var options = Options(spool: false, batch: 2);
        options.MaxPendingBatches = 1;
        await using var writer = Writer(options);
        var first = writer.WriteAsync(Point(0)).AsTask();
        var second = writer.WriteAsync(Point(1)).AsTask(); // fills the only batch
        using var cts = new CancellationTokenSource();
        var waiting = writer.WriteAsync(Point(2), cts.Token).AsTask();
        var behind = writer.WriteAsync(Point(3)).AsTask();
        waiting.IsCompleted.Should().BeFalse();
        cts.Cancel();
        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();

        _server.Down = false;
        await Eventually.TrueAsync(() => behind.IsCompleted, _time, TimeSpan.FromMilliseconds(200));
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5));
        await Task.WhenAll(first, second, behind);
        _server.Stored.Should().Equal(Stored(0), Stored(1), Stored(3));
    }

    [Fact]
    public async Task Too_large_requests_are_split_without_dead_lettering()
    {
        _server.Script(new WriteResult(WriteStatus.TooLarge, 413, "Request Entity Too Large", null));
        await using var writer = Writer(Options(spool: false, batch: 8));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => writer.WriteAsync(Point(i)).AsTask())).WaitAsync(TimeSpan.FromSeconds(5));
        _server.RequestLineCounts.Should().Equal(8, 4, 4);
        _deadLetters.Should().BeEmpty();
        _server.Stored.Should().HaveCount(8);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_after_exactly_that_delay()
    {
        _server.Script(new WriteResult(WriteStatus.Retryable, 429, "too many requests", TimeSpan.FromSeconds(1.5)));
        await using var writer = Writer(Options(spool: false));
        var tasks = Enumerable.Range(0, 10).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();
        // Wait until the retry's timer is armed (the request is recorded a moment before).
        await Eventually.TrueAsync(() => _time.RequestedDelays.Contains(TimeSpan.FromSeconds(1.5)));
        _server.Requests.Should().Be(1);
        _time.Advance(TimeSpan.FromMilliseconds(1499));
        await Task.Delay(50);
        _server.Requests.Should().Be(1);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(5));
        _server.Requests.Should().Be(2);
        _server.Stored.Should().HaveCount(10);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_cap_spools_the_batch_and_replay_waits_for_it()
    {
        _server.Script(new WriteResult(WriteStatus.Retryable, 503, "busy", TimeSpan.FromSeconds(60)));
        await using var writer = Writer(Options());
        var tasks = Enumerable.Range(0, 10).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(5)); // spooled at once: not waited for in line
        _server.Requests.Should().Be(1);
        writer.Status.PointsSpooled.Should().Be(10);

        _time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        _server.Requests.Should().Be(1, "Retry-After: 60 is honoured by replay too");
        await Eventually.TrueAsync(() => _server.Stored.Count == 10, _time, TimeSpan.FromMilliseconds(200));
        writer.Status.PointsReplayed.Should().Be(10);
    }

    [Fact]
    public async Task When_the_spool_is_full_writes_wait_and_the_status_says_spool_full_until_the_server_returns()
    {
        _server.Down = true;
        var options = Options(batch: 100);
        options.SpoolMaxBytes = 1 << 20;
        options.SpoolSegmentBytes = 256 << 10;
        options.MaxPendingBatches = 2;
        var note = new string('x', 4000); // ~400 KB per batch: the spool takes two
        await using var writer = Writer(options);

        var accepted = new List<Task>();
        Task? blocked = null;
        for (var i = 0; i < 1000 && blocked is null; i++)
        {
            var t = writer.WriteAsync(Point(i, note)).AsTask();
            accepted.Add(t);
            if (i >= 400) // two batches spooled, one held, one filled
            {
                await Task.Delay(20);
                _time.Advance(TimeSpan.FromSeconds(1));
                if (!t.IsCompleted && writer.Status.IsSpoolFull) blocked = t;
            }
        }

        blocked.Should().NotBeNull("the writer applies back-pressure instead of dropping");
        var status = writer.Status;
        status.State.Should().Be(InfluxWriterState.SpoolFull);
        status.IsHealthy.Should().BeFalse();
        status.Spool!.IsFull.Should().BeTrue();
        accepted[..200].Should().OnlyContain(t => t.IsCompletedSuccessfully);

        _server.Down = false;
        await Eventually.TrueAsync(() => accepted.All(t => t.IsCompleted), _time, TimeSpan.FromMilliseconds(500), timeout: TimeSpan.FromSeconds(20));
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => _server.Stored.Count == accepted.Count, _time, TimeSpan.FromMilliseconds(500));
        var order = _server.Stored.Select(l => int.Parse(l.Split(' ')[1].Split(',')[0][2..^1])).ToList();
        var runs = new List<string>();
        for (var k = 0; k < order.Count; k++) { var st = k; while (k + 1 < order.Count && order[k + 1] == order[k] + 1) k++; runs.Add($"{order[st]}-{order[k]}"); }
        string.Join(" ", runs).Should().Be("0-" + (accepted.Count - 1), string.Join(",", _server.RequestLineCounts));
        _server.Stored.Select(l => l.Split(' ')[1].Split(',')[0]).Should().Equal(Enumerable.Range(0, accepted.Count).Select(i => $"n={i}i"));
    }

    [Fact]
    public async Task Without_a_spool_a_shutdown_while_the_server_is_away_fails_the_points_instead_of_pretending()
    {
        _server.Down = true;
        var options = Options(spool: false);
        options.ShutdownTimeoutMs = 0;
        var writer = Writer(options);
        var task = writer.WriteAsync(Point(1)).AsTask();
        await writer.DisposeAsync();
        var act = () => task;
        await act.Should().ThrowAsync<InfluxWriteException>().WithMessage("*not made durable*");
        writer.Status.State.Should().Be(InfluxWriterState.Stopped);
    }

    [Fact]
    public async Task Disposing_while_the_server_is_away_spools_everything_and_a_new_writer_replays_it()
    {
        _server.Down = true;
        var options = Options();
        options.ShutdownTimeoutMs = 5000;
        var writer = Writer(options);
        var tasks = Enumerable.Range(0, 15).Select(i => writer.WriteAsync(Point(i)).AsTask()).ToArray();
        var disposing = writer.DisposeAsync().AsTask();
        await Eventually.TrueAsync(() => disposing.IsCompleted, _time);
        await disposing;
        tasks.Should().OnlyContain(t => t.IsCompletedSuccessfully);

        await using var next = Writer(options); // the server is still away: the backlog is found on disk
        next.Status.State.Should().Be(InfluxWriterState.Spooling);
        next.Status.Spool!.PendingPoints.Should().Be(15);
        _server.Down = false;
        await Eventually.TrueAsync(() => _server.Stored.Count == 15, _time);
        _server.Stored.Should().Equal(Enumerable.Range(0, 15).Select(Stored));
    }

    [Fact]
    public async Task Writes_after_dispose_are_refused()
    {
        var writer = Writer(Options(spool: false));
        await writer.DisposeAsync();
        var act = () => writer.WriteAsync(Point(0)).AsTask();
        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task An_invalid_point_throws_without_disturbing_the_batch()
    {
        await using var writer = Writer(Options(spool: false));
        var ok = writer.WriteAsync(Point(1)).AsTask();
        var act = () => writer.WriteAsync(PointData.Measurement("pv").Tag("a", "b"));
        act.Should().Throw<LineProtocolException>();
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5));
        await ok;
        _server.Stored.Should().Equal(Stored(1));
    }

    private sealed class ListSink(List<DeadLetter> letters) : IDeadLetterSink
    {
        public void Write(DeadLetter letter)
        {
            lock (letters) letters.Add(letter);
        }
    }
}
