namespace PvMonitor.Monitoring.Metrics;

/// <summary>A value that goes up and down (one time series), or a callback read at scrape time. Thread-safe and allocation-free.</summary>
public sealed class Gauge
{
    private readonly Func<double>? _read;
    private long _bits;

    internal Gauge(Func<double>? read = null) => _read = read;

    /// <summary>The current value.</summary>
    public double Value => _read?.Invoke() ?? BitConverter.Int64BitsToDouble(Volatile.Read(ref _bits));

    /// <summary>Sets the value.</summary>
    public void Set(double value)
    {
        ThrowIfCallback();
        Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));
    }

    /// <summary>Adds <paramref name="amount"/> (default 1).</summary>
    public void Inc(double amount = 1)
    {
        ThrowIfCallback();
        AtomicDouble.Add(ref _bits, amount);
    }

    /// <summary>Subtracts <paramref name="amount"/> (default 1).</summary>
    public void Dec(double amount = 1) => Inc(-amount);

    private void ThrowIfCallback()
    {
        if (_read is not null) throw new InvalidOperationException("A callback gauge cannot be set.");
    }
}
