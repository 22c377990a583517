using System.Diagnostics;

namespace PvMonitor.Mqtt.Bench;

/// <summary>
/// Measures a receive run between the first and the last message: rate, process CPU per message, bytes allocated per message,
/// and peak RSS (VmHWM) of the process. Optionally paces the consumer to a fixed rate to model a full pipeline.
/// </summary>
internal sealed class ReceiveReport(int consumeRate)
{
    private long _first;
    private long _allocatedAtFirst;
    private TimeSpan _cpuAtFirst;
    private int _received;
    private long _peakRssKb;
    private readonly List<(int Received, long RssKb)> _samples = [];

    public int Received => _received;

    public int Dups { get; set; }

    public async ValueTask OnMessageAsync()
    {
        if (_received == 0)
        {
            _first = Stopwatch.GetTimestamp();
            _allocatedAtFirst = GC.GetTotalAllocatedBytes();
            _cpuAtFirst = Process.GetCurrentProcess().TotalProcessorTime;
        }

        _received++;
        if ((_received & 4095) == 0)
        {
            var rss = CurrentRssKb();
            _peakRssKb = Math.Max(_peakRssKb, rss);
            _samples.Add((_received, rss));
            if (consumeRate > 0)
            {
                var due = TimeSpan.FromSeconds(_received / (double)consumeRate) - Stopwatch.GetElapsedTime(_first);
                if (due > TimeSpan.Zero) await Task.Delay(due);
            }
        }
    }

    public void Print(string client, int qos)
    {
        var seconds = Stopwatch.GetElapsedTime(_first).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuAtFirst).TotalMilliseconds * 1000;
        var allocated = GC.GetTotalAllocatedBytes() - _allocatedAtFirst;
        var n = Math.Max(1, _received - 1);
        Console.WriteLine($"client={client} received={_received} qos={qos} seconds={seconds:F3} rate={n / seconds:F0} cpu_us_per_msg={cpu / n:F1} " +
            $"alloc_bytes_per_msg={(double)allocated / n:F0} peak_rss_mb={PeakRssKb() / 1024.0:F0} dups={Dups} rss_mb_at_10_50_90pct={RssAt(0.1)},{RssAt(0.5)},{RssAt(0.9)}");
    }

    private string RssAt(double fraction)
    {
        foreach (var (received, rss) in _samples)
        {
            if (received >= fraction * _received) return (rss / 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "-";
    }

    private static long CurrentRssKb() => StatusKb("VmRSS:");

    private static long PeakRssKb() => StatusKb("VmHWM:");

    private static long StatusKb(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        return 0;
    }
}
