using System.Diagnostics;

namespace PvMonitor.Bench.Learning;

/// <summary>
/// Stopwatch harness: warm up, then time many samples of a few calls each (~2 ms per sample) and report the median
/// per call; the fastest sample is kept too, as the machine is shared and the median moves with its load.
/// </summary>
internal static class Measure
{
    /// <summary>Median seconds per call of <paramref name="action"/>.</summary>
    public static double Median(Action action, double seconds = 2.0, int warmup = 200) => Run(action, seconds, warmup).Median;

    /// <summary>Median and minimum seconds per call of <paramref name="action"/>.</summary>
    public static (double Median, double Min) Run(Action action, double seconds = 2.0, int warmup = 200)
    {
        for (int i = 0; i < warmup; i++) action();
        // calls per sample so that one sample takes ~2 ms
        var sw = Stopwatch.StartNew();
        int calib = 0;
        while (sw.Elapsed.TotalMilliseconds < 20) { action(); calib++; }
        int perSample = Math.Max(1, (int)(calib * 2.0 / sw.Elapsed.TotalMilliseconds));
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || samples.Count < 15)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < perSample; i++) action();
            samples.Add((Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency / perSample);
        }

        samples.Sort();
        return (samples[samples.Count / 2], samples[0]);
    }
}
