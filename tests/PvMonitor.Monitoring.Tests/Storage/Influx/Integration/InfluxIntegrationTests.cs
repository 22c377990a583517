using System.Diagnostics;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Query;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;
using PvMonitor.Testing;
using Xunit.Abstractions;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Integration;

/// <summary>Against a real InfluxDB 1.6 (Debian package <c>influxdb</c>) started by each test on 127.0.0.1.</summary>
public class InfluxIntegrationTests(ITestOutputHelper output)
{
    private static InfluxOptions Options(InfluxServer server, string spool, string database = "pvtest") => new()
    {
        Url = server.Url,
        Version = 1,
        Database = database,
        Precision = WritePrecision.Milliseconds,
        BatchSize = 500,
        FlushIntervalMs = 100,
        SpoolPath = spool,
        SpoolFsync = true,
        DeadLetterPath = null,
        RequestTimeoutMs = 2000,
        MaxRetries = 1,
        RetryBaseDelayMs = 100,
        RetryMaxDelayMs = 500,
    };

    [RequiresExecutableFact("influxd")]
    public async Task Points_written_are_read_back_exactly_including_escaped_names_and_strings()
    {
        await using var server = await InfluxServer.StartAsync();
        using var dir = new TempDirectory();
        using var query = new InfluxQueryClient(server.Url);
        await query.CreateDatabaseAsync("pvtest");

        await using (var writer = new InfluxWriter(Options(server, dir.Combine("spool"))))
        {
            var p = PointData.Measurement("pv_telemetry");
            for (var i = 0; i < 1_000; i++)
            {
                p.Reset("pv_telemetry").Tag("plant", "plant-01").Tag("inverter", $"inv-{i % 4:00}").Tag("string", $"s{i % 10:00}")
                    .Field("v_dc", 600 + i * 0.125).Field("i_dc", 8.5).Field("p_dc", (600 + i * 0.125) * 8.5)
                    .Field("irradiance", 812.5).Field("t_module", 41.25).Field("t_ambient", 21.0)
                    .Timestamp(1_700_000_000_000 + i, WritePrecision.Milliseconds);
                _ = writer.WriteAsync(p);
            }

            const string tricky = "say \"hi\", C:\\dir\\ a=b\nsecond line";
            await writer.WriteAsync(PointData.Measurement("odd name,with comma")
                .Tag("tag key,=x", "value with space, comma=equals\\backslash")
                .Field("field key=1", tricky).Field("big", 1e21).Field("tiny", 5e-324).Field("n", long.MinValue).Field("ok", true)
                .Timestamp(1_700_000_000_000, WritePrecision.Milliseconds));
            await writer.FlushAsync();
            writer.Status.PointsWritten.Should().Be(1_001);
        }

        (await query.QueryScalarAsync("pvtest", "SELECT COUNT(v_dc) FROM pv_telemetry")).Should().Be(1_000);
        var rows = (await query.QueryAsync("pvtest", "SELECT * FROM pv_telemetry WHERE \"string\" = 's07' ORDER BY time LIMIT 1")).Single();
        Convert.ToDouble(rows.Rows[0][rows.ColumnIndex("v_dc")]).Should().Be(600 + 7 * 0.125);
        rows.Rows[0][rows.ColumnIndex("time")].Should().Be(1_700_000_000_007L);

        var odd = (await query.QueryAsync("pvtest", "SELECT * FROM \"odd name,with comma\"")).Single();
        odd.Rows.Should().ContainSingle();
        var row = odd.Rows[0];
        row[odd.ColumnIndex("tag key,=x")].Should().Be("value with space, comma=equals\\backslash");
        row[odd.ColumnIndex("field key=1")].Should().Be("say \"hi\", C:\\dir\\ a=b\nsecond line");
        Convert.ToDouble(row[odd.ColumnIndex("big")]).Should().Be(1e21);
        Convert.ToDouble(row[odd.ColumnIndex("tiny")]).Should().Be(5e-324);
        row[odd.ColumnIndex("n")].Should().Be(long.MinValue);
        row[odd.ColumnIndex("ok")].Should().Be(true);
    }

    [RequiresExecutableFact("influxd")]
    public async Task Killing_the_server_for_ten_seconds_mid_stream_loses_no_point()
    {
        await using var server = await InfluxServer.StartAsync();
        using var dir = new TempDirectory();
        using var query = new InfluxQueryClient(server.Url);
        await query.CreateDatabaseAsync("pvtest");

        var writer = new InfluxWriter(Options(server, dir.Combine("spool")));
        var clock = Stopwatch.StartNew();
        var produced = 0;
        var durable = new List<Task>();
        var p = PointData.Measurement("pv_telemetry");
        var killed = false;
        var restarted = false;
        long maxSpooled = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(14.5))
        {
            for (var k = 0; k < 50; k++, produced++)
            {
                p.Reset("pv_telemetry").Tag("plant", "p1").Tag("string", $"s{produced % 8}").Field("n", produced)
                    .Timestamp(1_700_000_000_000 + produced, WritePrecision.Milliseconds);
                durable.Add(writer.WriteAsync(p).AsTask());
            }

            if (!killed && clock.Elapsed > TimeSpan.FromSeconds(2))
            {
                server.Kill();
                killed = true;
                output.WriteLine($"killed influxd at {clock.Elapsed.TotalSeconds:F1} s after {produced} points");
            }

            if (killed && !restarted && clock.Elapsed > TimeSpan.FromSeconds(12))
            {
                maxSpooled = writer.Status.Spool!.PendingPoints;
                await server.RestartAsync();
                restarted = true;
                output.WriteLine($"restarted influxd at {clock.Elapsed.TotalSeconds:F1} s; {maxSpooled} points spooled");
            }

            await Task.Delay(50);
        }

        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(durable).WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => writer.Status.Spool!.IsEmpty, timeout: TimeSpan.FromSeconds(30), because: "the spool replays once the server is back");
        var status = writer.Status;
        await writer.DisposeAsync();
        output.WriteLine($"{status}");

        maxSpooled.Should().BeGreaterThan(0, "points were spooled during the outage");
        status.PointsSpooled.Should().BeGreaterThan(0);
        status.PointsReplayed.Should().Be(status.PointsSpooled);
        (await query.QueryScalarAsync("pvtest", "SELECT COUNT(n) FROM pv_telemetry")).Should().Be(produced);
        (await query.QueryScalarAsync("pvtest", "SELECT SUM(n) FROM pv_telemetry")).Should().Be((long)produced * (produced - 1) / 2);
    }

    [RequiresExecutableFact("influxd")]
    public async Task A_bad_line_in_a_batch_is_dead_lettered_with_the_servers_message_and_the_rest_is_stored()
    {
        await using var server = await InfluxServer.StartAsync();
        using var dir = new TempDirectory();
        using var query = new InfluxQueryClient(server.Url);
        await query.CreateDatabaseAsync("pvtest");
        var options = Options(server, dir.Combine("spool"));
        options.DeadLetterPath = dir.Combine("dead.lp");

        await using (var writer = new InfluxWriter(options))
        {
            // Fix the type of field "v" as float, then send a batch where one point has it as a string.
            await writer.WriteAsync(PointData.Measurement("m").Field("v", 1.5).Timestamp(1, WritePrecision.Seconds));
            var tasks = new List<Task>();
            for (var i = 0; i < 100; i++)
            {
                var p = PointData.Measurement("m").Tag("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Timestamp(10 + i, WritePrecision.Seconds);
                if (i == 37) p.Field("v", "not a number"); else p.Field("v", i * 1.0);
                tasks.Add(writer.WriteAsync(p).AsTask());
            }

            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
            var status = writer.Status;
            status.PointsDeadLettered.Should().Be(1);
            var letter = status.RecentDeadLetters.Should().ContainSingle().Subject;
            letter.Line.Should().Be("m,i=37 v=\"not a number\" 47000");
            letter.HttpStatus.Should().Be(400);
            letter.Reason.Should().Contain("field type conflict").And.Contain("already exists as type float");
            output.WriteLine(letter.Reason);
        }

        (await query.QueryScalarAsync("pvtest", "SELECT COUNT(v) FROM m WHERE time >= 10s")).Should().Be(99);
        var file = await File.ReadAllTextAsync(dir.Combine("dead.lp"));
        file.Should().Contain("HTTP 400: ").And.Contain("field type conflict").And.EndWith("m,i=37 v=\"not a number\" 47000\n");
    }

    [RequiresExecutableFact("influxd")]
    public async Task Points_spooled_while_the_server_was_down_are_replayed_in_order_by_the_next_process_after_a_restart()
    {
        await using var server = await InfluxServer.StartAsync();
        using var dir = new TempDirectory();
        using var query = new InfluxQueryClient(server.Url);
        await query.CreateDatabaseAsync("pvtest");
        server.Kill();

        // First process: the server is down, every point is made durable in the spool, then the process stops.
        await using (var first = new InfluxWriter(Options(server, dir.Combine("spool"))))
        {
            var tasks = Enumerable.Range(0, 1_200).Select(i =>
                first.WriteAsync(PointData.Measurement("m").Tag("s", $"s{i % 4}").Field("n", i).Timestamp(1_000 + i, WritePrecision.Milliseconds)).AsTask()).ToList();
            await first.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
            first.Status.PointsSpooled.Should().Be(1_200);
            first.Status.PointsWritten.Should().Be(0);
        }

        // Second process on the same spool, after the server came back: the backlog goes out first, in order, then new points.
        await server.RestartAsync();
        await using var second = new InfluxWriter(Options(server, dir.Combine("spool")));
        second.State.Should().Be(InfluxWriterState.Spooling, "the spool is not empty at start");
        await second.WriteAsync(PointData.Measurement("m").Tag("s", "new").Field("n", 1_200).Timestamp(1_000 + 1_200, WritePrecision.Milliseconds))
            .AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => second.Status.Spool!.IsEmpty && second.State == InfluxWriterState.Online, timeout: TimeSpan.FromSeconds(30));

        second.Status.PointsReplayed.Should().BeGreaterThanOrEqualTo(1_200, "the backlog is replayed (a new batch that arrives meanwhile queues behind it in the spool)");
        (await query.QueryScalarAsync("pvtest", "SELECT COUNT(n) FROM m")).Should().Be(1_201);
        (await query.QueryScalarAsync("pvtest", "SELECT SUM(n) FROM m")).Should().Be(1_201L * 1_200 / 2);
    }

    [RequiresExecutableFact("influxd")]
    public async Task Writes_to_a_database_that_does_not_exist_yet_are_spooled_and_replayed_once_it_does()
    {
        await using var server = await InfluxServer.StartAsync();
        using var dir = new TempDirectory();
        using var query = new InfluxQueryClient(server.Url);
        await using var writer = new InfluxWriter(Options(server, dir.Combine("spool"), database: "later"));
        var tasks = Enumerable.Range(0, 50).Select(i =>
            writer.WriteAsync(PointData.Measurement("m").Field("n", i).Timestamp(1_000 + i, WritePrecision.Seconds)).AsTask()).ToList();
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Task.WhenAll(tasks);
        var status = writer.Status;
        status.PointsSpooled.Should().Be(50, "404 database not found keeps the data");
        status.LastError.Should().Contain("404").And.Contain("database not found");
        status.State.Should().Be(InfluxWriterState.Spooling);

        await query.CreateDatabaseAsync("later");
        await Eventually.TrueAsync(() => writer.Status.Spool!.IsEmpty);
        (await query.QueryScalarAsync("later", "SELECT COUNT(n) FROM m")).Should().Be(50);
    }

    [RequiresExecutableFact("influxd")]
    public async Task Version_1_precisions_are_understood_by_the_server()
    {
        await using var server = await InfluxServer.StartAsync();
        using var dir = new TempDirectory();
        using var query = new InfluxQueryClient(server.Url);
        await query.CreateDatabaseAsync("pvtest");
        var expectedMs = 1_700_000_000_123L;
        foreach (var precision in new[] { WritePrecision.Nanoseconds, WritePrecision.Microseconds, WritePrecision.Milliseconds, WritePrecision.Seconds })
        {
            var options = Options(server, dir.Combine("spool-" + precision));
            options.Precision = precision;
            await using var writer = new InfluxWriter(options);
            await writer.WriteAsync(PointData.Measurement("prec_" + precision).Field("v", 1L).Timestamp(expectedMs, WritePrecision.Milliseconds));
        }

        foreach (var precision in new[] { WritePrecision.Nanoseconds, WritePrecision.Microseconds, WritePrecision.Milliseconds })
            (await query.QueryAsync("pvtest", $"SELECT v FROM prec_{precision}")).Single().Rows[0][0].Should().Be(expectedMs, precision.ToString());
        (await query.QueryAsync("pvtest", "SELECT v FROM prec_Seconds")).Single().Rows[0][0].Should().Be(expectedMs / 1000 * 1000);
    }
}
