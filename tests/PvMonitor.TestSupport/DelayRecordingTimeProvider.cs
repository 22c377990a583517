using Microsoft.Extensions.Time.Testing;

namespace PvMonitor.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also records every finite due time a timer is armed with (created or changed), in
/// order. FakeTimeProvider cannot say which delays were asked for, and the retry/backoff tests check exactly that (e.g. that
/// a 1.5 s <c>Retry-After</c> became a 1.5 s delay). Time, timers and their firing on <see cref="FakeTimeProvider.Advance(TimeSpan)"/>
/// are FakeTimeProvider's own.
/// </summary>
public sealed class DelayRecordingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<TimeSpan> _requested = [];

    /// <summary>Every finite due time a timer was armed with, in order (zero included, infinite left out).</summary>
    public IReadOnlyList<TimeSpan> RequestedDelays
    {
        get { lock (_requested) return _requested.ToArray(); }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Record(dueTime);
        return new RecordingTimer(this, base.CreateTimer(callback, state, dueTime, period));
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan) return;
        lock (_requested) _requested.Add(dueTime);
    }

    private sealed class RecordingTimer(DelayRecordingTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Record(dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
