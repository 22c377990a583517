using System.Collections.Concurrent;
using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Ingest;

/// <summary>
/// Remembers, per string, the last few sample timestamps this process has <b>durably stored</b>, so that a second copy of a
/// stored sample (MQTT QoS 1 redelivery, a publisher retrying) is recognised as a duplicate. Bounded: at most
/// <c>windowPerString</c> timestamps per string and <c>maxStrings</c> strings. Thread-safe.
/// </summary>
/// <remarks>
/// <para>The choice, and why: a timestamp is recorded only by <see cref="MarkStored"/>, called after the store's write
/// returned (durable), never when a message is merely received. A QoS 1 message redelivered after a crash was by
/// definition not acknowledged, so either it was never stored (the filter has not seen it → processed normally) or it was
/// stored just before the crash (the filter was lost with the process → processed again, and the store's idempotent
/// (plant, inverter, string, time) key makes the second write an overwrite). A message is therefore never lost as a
/// "duplicate" of something that was not stored.</para>
/// <para>What the caller does with a duplicate: acknowledge it, count it and dead-letter it with reason <c>duplicate</c>;
/// do not score, store or feed it to the alert engine again (the alert engine additionally ignores samples not newer than the
/// last one it saw per string, which covers two copies in flight at once).</para>
/// <para>Strings beyond <c>maxStrings</c> are not tracked (never flagged as duplicates); the store's upsert still keeps them unique.</para>
/// </remarks>
public sealed class DuplicateFilter
{
    private readonly ConcurrentDictionary<StringKey, Ring> _rings = new();
    private readonly int _windowPerString;
    private readonly int _maxStrings;
    private int _strings;

    /// <summary>Creates a filter.</summary>
    /// <param name="windowPerString">Timestamps remembered per string (default 128).</param>
    /// <param name="maxStrings">Strings tracked at most (default 100000).</param>
    public DuplicateFilter(int windowPerString = 128, int maxStrings = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowPerString, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStrings, 1);
        _windowPerString = windowPerString;
        _maxStrings = maxStrings;
    }

    /// <summary>Creates a filter sized by <see cref="IngestOptions.DuplicateWindowPerString"/> and <see cref="IngestOptions.DuplicateMaxStrings"/>.</summary>
    public DuplicateFilter(IngestOptions options)
        : this(options.DuplicateWindowPerString, options.DuplicateMaxStrings)
    {
    }

    /// <summary>Number of strings currently tracked.</summary>
    public int TrackedStrings => Volatile.Read(ref _strings);

    /// <summary>True when a sample of <paramref name="key"/> at <paramref name="time"/> was already stored by this process.</summary>
    public bool IsDuplicate(StringKey key, DateTimeOffset time) =>
        _rings.TryGetValue(key, out var ring) && ring.Contains(time.UtcTicks);

    /// <summary>Records that the sample of <paramref name="key"/> at <paramref name="time"/> is durably stored.</summary>
    public void MarkStored(StringKey key, DateTimeOffset time)
    {
        if (!_rings.TryGetValue(key, out var ring))
        {
            if (Volatile.Read(ref _strings) >= _maxStrings) return;
            var created = new Ring(_windowPerString);
            if (_rings.TryAdd(key, created))
            {
                Interlocked.Increment(ref _strings);
                ring = created;
            }
            else
            {
                ring = _rings[key];
            }
        }

        ring.Add(time.UtcTicks);
    }

    private sealed class Ring(int capacity)
    {
        private readonly long[] _ticks = new long[capacity];
        private int _count;
        private int _next;

        public bool Contains(long ticks)
        {
            lock (this)
            {
                for (var k = 0; k < _count; k++)
                    if (_ticks[k] == ticks) return true;
                return false;
            }
        }

        public void Add(long ticks)
        {
            lock (this)
            {
                for (var k = 0; k < _count; k++)
                    if (_ticks[k] == ticks) return;
                _ticks[_next] = ticks;
                _next = (_next + 1) % _ticks.Length;
                if (_count < _ticks.Length) _count++;
            }
        }
    }
}
