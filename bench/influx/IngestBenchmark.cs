using System.Diagnostics;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Query;
using PvMonitor.Monitoring.Storage.Influx.Writing;

namespace PvMonitor.Influx.Bench;

/// <summary>
/// Sustained ingest through <see cref="InfluxWriter"/> into a running InfluxDB 1.x: builds and encodes every point, batches,
/// posts, and stops the clock when the last point is durable. Then checks the count with a query (outside the timing).
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(string url, string database, int points, int batch, bool gzip, int settleMs)
    {
        using var query = new InfluxQueryClient(url);
        // Warm up on a throw-away database, then time a fresh writer: 60 requests of 1,000 points, so the JIT has promoted the
        // encode, writer and HTTP paths to optimised code (tier-up needs 30 calls) before the clock starts.
        await query.CreateDatabaseAsync(database + "_warmup");
        await WriteAsync(url, database + "_warmup", 60_000, 1_000, gzip);
        await query.CreateDatabaseAsync(database);
        await Task.Delay(settleMs); // let the server finish with the warm-up writes (run.sh pauses as long before curl)
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var (elapsed, requestTime, requests) = await WriteAsync(url, database, points, batch, gzip);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var stored = await query.QueryScalarAsync(database, "SELECT COUNT(v_dc) FROM pv_telemetry");
        var rate = points / elapsed.TotalSeconds;
        Console.WriteLine($"ingest: points={points} batch={batch} gzip={gzip} seconds={elapsed.TotalSeconds:F3} rate={rate:F0} points/s stored={stored} " +
                          $"requests={requests} in-request={requestTime.TotalSeconds:F3}s ({requestTime / elapsed:P0} of wall) client-cpu={cpu.TotalSeconds:F3}s allocated={(double)allocated / points:F1} B/point");
        Console.WriteLine($"RESULT ingest_points_per_s {rate:F0}");
        return stored == points ? 0 : 1;
    }

    private static async Task<(TimeSpan Elapsed, TimeSpan InRequest, int Requests)> WriteAsync(string url, string database, int points, int batch, bool gzip)
    {
        var spool = Path.Combine(Path.GetTempPath(), "pvinflux-bench-spool-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new InfluxOptions
        {
            Url = url,
            Version = 1,
            Database = database,
            BatchSize = batch,
            FlushIntervalMs = 1000,
            Gzip = gzip,
            SpoolPath = spool,
            DeadLetterPath = null,
            MaxPendingBatches = 4,
        };
        var source = new TelemetryPoints();
        var point = PointData.Measurement("pv_telemetry");
        const long start = 1_700_000_000_000;
        Task last = Task.CompletedTask;
        // Durability completes in write order: keep at most three batches outstanding by awaiting the oldest batch's task
        // (what a bounded upstream, like an MQTT in-flight window, does naturally).
        var window = new Queue<Task>();
        var sw = Stopwatch.StartNew();
        using var http = new InfluxV1Endpoint(options);
        var timing = new TimingEndpoint(Environment.GetEnvironmentVariable("PVBENCH_NULL_ENDPOINT") == "1" ? new NullEndpoint() : http);
        await using (var writer = new InfluxWriter(options, timing))
        {
            for (var i = 0; i < points; i++)
            {
                var t = writer.WriteAsync(source.Fill(point, i, start));
                if (t.IsCompleted)
                {
                    t.GetAwaiter().GetResult();
                    continue;
                }

                last = t.AsTask();
                if ((i + 1) % batch == 0)
                {
                    window.Enqueue(last);
                    if (window.Count >= 3)
                        await window.Dequeue();
                }
            }

            await writer.FlushAsync();
            await last;
            sw.Stop();
            var status = writer.Status;
            if (status.PointsSpooled > 0 || status.PointsDeadLettered > 0)
                Console.Error.WriteLine($"warning: spooled={status.PointsSpooled} dead-lettered={status.PointsDeadLettered} ({status.LastError})");
        }

        try
        {
            Directory.Delete(spool, recursive: true);
        }
        catch (IOException)
        {
        }

        return (sw.Elapsed, timing.InRequest, timing.Requests);
    }

    /// <summary>Accepts everything at once (PVBENCH_NULL_ENDPOINT=1): measures the writer's own cost without a server.</summary>
    private sealed class NullEndpoint : IInfluxWriteEndpoint
    {
        public ValueTask<WriteResult> WriteAsync(ReadOnlyMemory<byte> lines, WritePrecision precision, CancellationToken cancellationToken) =>
            ValueTask.FromResult(WriteResult.Written);
    }

    /// <summary>Sums the time spent inside write requests, to tell server time from client gaps.</summary>
    private sealed class TimingEndpoint(IInfluxWriteEndpoint inner) : IInfluxWriteEndpoint
    {
        private long _ticks;
        private int _requests;

        public TimeSpan InRequest => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public int Requests => _requests;

        public async ValueTask<WriteResult> WriteAsync(ReadOnlyMemory<byte> lines, WritePrecision precision, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await inner.WriteAsync(lines, precision, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _ticks, Stopwatch.GetElapsedTime(start).Ticks);
            Interlocked.Increment(ref _requests);
            return result;
        }
    }

    /// <summary>Posts existing batch files through <see cref="InfluxV1Endpoint"/> one after another (no encoding, no writer):
    /// isolates the HTTP client's cost from the writer's, for comparison with curl posting the same files.</summary>
    public static async Task<int> PostFilesAsync(string url, string database, string directory, bool gzip)
    {
        using var query = new InfluxQueryClient(url);
        await query.CreateDatabaseAsync(database);
        var files = Directory.GetFiles(directory, "*.lp").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        using var endpoint = new InfluxV1Endpoint(new InfluxOptions { Url = url, Version = 1, Database = database, Gzip = gzip });
        var firstLine = files[0].AsMemory(0, Array.IndexOf(files[0], (byte)'\n') + 1);
        for (var i = 0; i < 40; i++) // warm-up: tier-up needs 30 calls (the same point again: an overwrite)
            await endpoint.WriteAsync(firstLine, WritePrecision.Milliseconds, CancellationToken.None);
        var points = files.Sum(f => f.Count(b => b == (byte)'\n'));
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        foreach (var body in files)
        {
            var result = await endpoint.WriteAsync(body, WritePrecision.Milliseconds, CancellationToken.None);
            if (!result.IsWritten) throw new InvalidOperationException(result.ToString());
        }

        sw.Stop();
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var rate = points / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"post-files: points={points} files={files.Length} gzip={gzip} seconds={sw.Elapsed.TotalSeconds:F3} rate={rate:F0} points/s client-cpu={cpu.TotalSeconds:F3}s");
        Console.WriteLine($"RESULT post_files_points_per_s {rate:F0}");
        return 0;
    }

    /// <summary>Writes the same points as line-protocol files of <paramref name="batch"/> lines each (for curl).</summary>
    public static int MakeBatches(string directory, int points, int batch)
    {
        Directory.CreateDirectory(directory);
        var source = new TelemetryPoints();
        var point = PointData.Measurement("pv_telemetry");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        var file = 0;
        for (var i = 0; i < points; i++)
        {
            LineProtocolEncoder.Write(buffer, source.Fill(point, i, 1_700_000_000_000), WritePrecision.Milliseconds);
            if ((i + 1) % batch == 0 || i == points - 1)
            {
                File.WriteAllBytes(Path.Combine(directory, $"batch-{file++:D5}.lp"), buffer.WrittenSpan.ToArray());
                buffer.ResetWrittenCount();
            }
        }

        Console.WriteLine($"wrote {file} files of up to {batch} points to {directory}");
        return 0;
    }
}
