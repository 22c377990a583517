namespace PvMonitor.Monitoring.Metrics;

/// <summary>
/// Counts observations in fixed buckets (upper bounds inclusive, as Prometheus' <c>le</c>) plus a +Inf bucket, and their sum.
/// Thread-safe and allocation-free.
/// </summary>
public sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _sumBits;

    internal Histogram(double[] bounds)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    /// <summary>The finite bucket upper bounds, ascending.</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>Records one observation (NaN is ignored).</summary>
    public void Observe(double value)
    {
        if (double.IsNaN(value)) return;
        var index = Array.BinarySearch(_bounds, value);
        if (index < 0) index = ~index;   // first bound ≥ value, or _bounds.Length for +Inf
        Interlocked.Increment(ref _counts[index]);
        AtomicDouble.Add(ref _sumBits, value);
    }

    /// <summary>Sum of all observations.</summary>
    public double Sum => BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits));

    /// <summary>Number of observations.</summary>
    public long Count
    {
        get
        {
            long total = 0;
            for (var k = 0; k < _counts.Length; k++) total += Volatile.Read(ref _counts[k]);
            return total;
        }
    }

    /// <summary>Cumulative counts per bucket: one per bound, then +Inf (which equals the total count of the snapshot).</summary>
    public long[] CumulativeCounts()
    {
        var result = new long[_counts.Length];
        long running = 0;
        for (var k = 0; k < _counts.Length; k++)
        {
            running += Volatile.Read(ref _counts[k]);
            result[k] = running;
        }

        return result;
    }
}
