namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>
/// Delays between replay probes while the server is away: exponential from a base delay, capped, with "equal jitter"
/// (half fixed, half random) from an injected random source, and never shorter than the server's Retry-After.
/// Pure state machine: no clock, no sleeping.
/// </summary>
public sealed class BackoffSchedule
{
    private readonly TimeSpan _base;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;
    private int _failures;

    /// <summary>Creates a schedule from <paramref name="baseDelay"/> up to <paramref name="maxDelay"/>; <paramref name="random"/> returns values in [0, 1).</summary>
    public BackoffSchedule(TimeSpan baseDelay, TimeSpan maxDelay, Func<double> random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _base = baseDelay;
        _max = maxDelay;
        _random = random;
    }

    /// <summary>Consecutive failures since the last <see cref="Reset"/>.</summary>
    public int Failures => _failures;

    /// <summary>Records a failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan NextDelay(TimeSpan? retryAfter = null)
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var ceiling = Math.Min(_base.TotalMilliseconds * Math.Pow(2, exponent), _max.TotalMilliseconds);
        var jittered = ceiling / 2 + ceiling / 2 * _random();
        var delay = TimeSpan.FromMilliseconds(jittered);
        return retryAfter is { } ra && ra > delay ? ra : delay;
    }

    /// <summary>Forgets past failures (after a success).</summary>
    public void Reset() => _failures = 0;
}
