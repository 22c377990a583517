using System.Buffers;
using System.Diagnostics;
using System.Net;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using ClientPoint = InfluxDB.Client.Writes.PointData;
using ClientPrecision = InfluxDB.Client.Api.Domain.WritePrecision;

namespace PvMonitor.Influx.Bench;

/// <summary>
/// The line-protocol choice, measured in one process on the same telemetry values (one thread, per CPU-second of the thread):
/// (1) our <see cref="LineProtocolEncoder"/> into a reused buffer; (2) InfluxDB.Client's <c>PointData</c> built per point and
/// <c>ToLineProtocol()</c>; then the whole client side of a write with no server (an HttpClient handler that answers 204 at
/// once), so only our CPU is counted: (3) <see cref="InfluxWriter"/> on the v1 endpoint; (4) on the v2 endpoint
/// (InfluxDB.Client's WriteApiAsync, our lines handed over as one record per batch). Medians of <c>repeats</c> runs.
/// </summary>
internal static class ClientCostBenchmark
{
    private const long Start = 1_700_000_000_000;

    public static async Task<int> RunAsync(int points, int repeats, int batch)
    {
        var source = new TelemetryPoints();
        Report("ours_encode", points, repeats, () => OursEncode(source, points));
        Report("client_pointdata", points, repeats, () => ClientPointData(source, points));
        await ReportAsync("writer_v1_null_server", points, repeats, () => WriterAsync(source, points, batch, version: 1));
        await ReportAsync("writer_v2_client_null_server", points, repeats, () => WriterAsync(source, points, batch, version: 2));
        return 0;
    }

    private static void OursEncode(TelemetryPoints source, int points)
    {
        var point = PointData.Measurement("pv_telemetry");
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        for (var i = 0; i < points; i++)
        {
            source.Fill(point, i, Start);
            LineProtocolEncoder.Write(buffer, point, WritePrecision.Milliseconds);
            if (buffer.WrittenCount > (1 << 20) - 4096)
                buffer.ResetWrittenCount();
        }
    }

    private static void ClientPointData(TelemetryPoints source, int points)
    {
        long chars = 0;
        for (var i = 0; i < points; i++)
        {
            var p = ClientPoint.Measurement("pv_telemetry")
                .Tag("plant", source.Plant(i)).Tag("inverter", source.Inverter(i)).Tag("string", source.String(i));
            var v = source.Values(i);
            p = p.Field("v_dc", v[0]).Field("i_dc", v[1]).Field("p_dc", v[2]).Field("irradiance", v[3]).Field("t_module", v[4]).Field("t_ambient", v[5])
                .Timestamp(source.TimestampMs(i, Start), ClientPrecision.Ms);
            chars += p.ToLineProtocol().Length;
        }

        GC.KeepAlive(chars);
    }

    private static async Task WriterAsync(TelemetryPoints source, int points, int batch, int version)
    {
        var options = new InfluxOptions
        {
            Url = "http://127.0.0.1:9", Version = version, Database = "bench", Org = "o", Bucket = "b", Token = "t",
            BatchSize = batch, FlushIntervalMs = 1000, SpoolPath = null, DeadLetterPath = null, MaxPendingBatches = 4,
        };
        using var http = new HttpClient(new NullServer());
        IInfluxWriteEndpoint endpoint = version == 1 ? new InfluxV1Endpoint(options, http) : new InfluxV2Endpoint(options, http);
        using var owned = (IDisposable)endpoint;
        await using var writer = new InfluxWriter(options, endpoint);
        var point = PointData.Measurement("pv_telemetry");
        var window = new Queue<Task>();
        Task last = Task.CompletedTask;
        for (var i = 0; i < points; i++)
        {
            source.Fill(point, i, Start);
            last = writer.WriteAsync(point).AsTask();
            if ((i + 1) % batch == 0)
            {
                window.Enqueue(last);
                if (window.Count > 3) await window.Dequeue();
            }
        }

        await writer.FlushAsync();
        await last;
        if (writer.Status.PointsWritten != points)
            throw new InvalidOperationException($"v{version}: {writer.Status.PointsWritten} of {points} written");
    }

    private static void Report(string name, int points, int repeats, Action run)
    {
        run(); // warm-up (tiering)
        run();
        var rates = new List<double>();
        var cpuRates = new List<double>();
        long allocated = 0;
        for (var r = 0; r < repeats; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpu0 = ThreadCpuTime.Now();
            var sw = Stopwatch.StartNew();
            run();
            sw.Stop();
            var cpu1 = ThreadCpuTime.Now();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            rates.Add(points / sw.Elapsed.TotalSeconds);
            if (cpu0 is { } a && cpu1 is { } b && b > a) cpuRates.Add(points / (b - a).TotalSeconds);
        }

        Print(name, points, rates, cpuRates, (double)allocated / points, "thread");
    }

    private static async Task ReportAsync(string name, int points, int repeats, Func<Task> run)
    {
        await run(); // warm-up (tiering)
        await run();
        var rates = new List<double>();
        var cpuRates = new List<double>();
        long allocated = 0;
        for (var r = 0; r < repeats; r++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var cpu0 = Environment.CpuUsage.TotalTime;
            var sw = Stopwatch.StartNew();
            await run();
            sw.Stop();
            var cpu = Environment.CpuUsage.TotalTime - cpu0;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            rates.Add(points / sw.Elapsed.TotalSeconds);
            cpuRates.Add(points / cpu.TotalSeconds);
        }

        Print(name, points, rates, cpuRates, (double)allocated / points, "process");
    }

    private static void Print(string name, int points, List<double> rates, List<double> cpuRates, double allocatedPerPoint, string cpuKind)
    {
        rates.Sort();
        cpuRates.Sort();
        var median = rates[rates.Count / 2];
        var cpuMedian = cpuRates.Count > 0 ? cpuRates[cpuRates.Count / 2] : double.NaN;
        Console.WriteLine($"{name}: points={points} wall median={median:F0} points/s (min {rates[0]:F0}, max {rates[^1]:F0}); " +
                          $"per CPU-second of the {cpuKind} median={cpuMedian:F0} points/s; allocated={allocatedPerPoint:F1} B/point");
        Console.WriteLine($"RESULT {name}_points_per_cpu_s {cpuMedian:F0}");
    }

    /// <summary>Reads the request body and answers 204: the client side of a write with no server cost.</summary>
    private sealed class NullServer : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
                await request.Content.CopyToAsync(Stream.Null, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request };
        }
    }
}
