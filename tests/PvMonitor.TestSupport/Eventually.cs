using Microsoft.Extensions.Time.Testing;
using Xunit.Sdk;

namespace PvMonitor.Testing;

/// <summary>
/// Waits for background work to reach a state by polling a condition, and fails the test naming what it waited for when the
/// state is not reached within a real-time limit. Given a <see cref="FakeTimeProvider"/>, it moves that clock forward before
/// each poll, so the timers and delays the work waits on fire.
/// </summary>
public static class Eventually
{
    /// <summary>Real time waited at most when the caller names no limit: 15 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Completes once <paramref name="condition"/> is true; throws <see cref="XunitException"/> after the timeout.</summary>
    /// <param name="condition">Polled every 10 ms of real time, or every 2 ms while a clock is moved.</param>
    /// <param name="time">A fake clock to move forward by <paramref name="step"/> before each poll; none by default.</param>
    /// <param name="step">How far <paramref name="time"/> moves per poll; default 100 ms.</param>
    /// <param name="timeout">Real time to wait at most; default <see cref="DefaultTimeout"/> (15 s).</param>
    /// <param name="because">What is waited for, named in the failure message.</param>
    public static async Task TrueAsync(Func<bool> condition, FakeTimeProvider? time = null, TimeSpan? step = null, TimeSpan? timeout = null, string? because = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var poll = TimeSpan.FromMilliseconds(time is null ? 10 : 2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
                throw new XunitException($"Timed out after {limit.TotalSeconds:0.#} s waiting until {because ?? "the condition held"}.");
            time?.Advance(step ?? TimeSpan.FromMilliseconds(100));
            await Task.Delay(poll);
        }
    }
}
