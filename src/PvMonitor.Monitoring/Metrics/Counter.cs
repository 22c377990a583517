namespace PvMonitor.Monitoring.Metrics;

/// <summary>A monotonically increasing value (one time series). Thread-safe and allocation-free.</summary>
public sealed class Counter
{
    private readonly Func<double>? _read;
    private long _bits;

    internal Counter(Func<double>? read = null) => _read = read;

    /// <summary>The current value (read from the callback for callback counters).</summary>
    public double Value => _read?.Invoke() ?? BitConverter.Int64BitsToDouble(Volatile.Read(ref _bits));

    /// <summary>Adds <paramref name="amount"/> (default 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative or not finite (counters only go up).</exception>
    /// <exception cref="InvalidOperationException">This is a callback counter.</exception>
    public void Inc(double amount = 1)
    {
        if (!(amount >= 0) || double.IsInfinity(amount))
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A counter increment must be a finite number ≥ 0.");
        if (_read is not null) throw new InvalidOperationException("A callback counter cannot be incremented.");
        AtomicDouble.Add(ref _bits, amount);
    }
}
