using System.Buffers;
using System.Diagnostics;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Influx.Bench;

/// <summary>Single-thread encoding throughput: build the point (reused builder) and encode it into a reused buffer.</summary>
internal static class EncodeBenchmark
{
    public static int Run(int points, int repeats, bool fullPrecision)
    {
        var source = new TelemetryPoints(fullPrecision: fullPrecision);
        var point = PointData.Measurement("pv_telemetry");
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        const long start = 1_700_000_000_000;

        // Warm up (tiering, PGO).
        for (var r = 0; r < 3; r++)
            Loop(source, point, buffer, 200_000, start);

        var rates = new List<double>();
        var cpuRates = new List<double>();
        long allocated = 0;
        long bytes = 0;
        var sw = new Stopwatch();
        for (var r = 0; r < repeats; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = ThreadCpuTime.Now();
            sw.Restart();
            bytes = Loop(source, point, buffer, points, start);
            sw.Stop();
            var cpuAfter = ThreadCpuTime.Now();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            rates.Add(points / sw.Elapsed.TotalSeconds);
            if (cpuBefore is { } b && cpuAfter is { } a && a > b)
                cpuRates.Add(points / (a - b).TotalSeconds);
        }

        rates.Sort();
        cpuRates.Sort();
        var median = rates[rates.Count / 2];
        var cpuMedian = cpuRates.Count > 0 ? cpuRates[cpuRates.Count / 2] : double.NaN;
        var label = fullPrecision ? "_full_precision" : "";
        Console.WriteLine($"encode{label}: points={points} repeats={repeats} wall median={median:F0} points/s (min {rates[0]:F0}, max {rates[^1]:F0}); " +
                          $"per CPU-second of the thread median={cpuMedian:F0} points/s; bytes/point={(double)bytes / points:F1}; allocated in last run={allocated} B");
        Console.WriteLine($"RESULT encode{label}_points_per_s {median:F0}");
        Console.WriteLine($"RESULT encode{label}_points_per_cpu_s {cpuMedian:F0}");
        return 0;
    }

    private static long Loop(TelemetryPoints source, PointData point, ArrayBufferWriter<byte> buffer, int points, long start)
    {
        long bytes = 0;
        for (var i = 0; i < points; i++)
        {
            source.Fill(point, i, start);
            bytes += LineProtocolEncoder.Write(buffer, point, WritePrecision.Milliseconds);
            if (buffer.WrittenCount > (1 << 20) - 4096)
                buffer.ResetWrittenCount();
        }

        buffer.ResetWrittenCount();
        return bytes;
    }
}
