using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;

namespace PvMonitor.Monitoring.Storage;

/// <summary>
/// Wraps a write-only <see cref="IResultStore"/> (InfluxDB) and keeps what the operator page shows in bounded memory: the
/// latest state of every string, the last <see cref="HistoryPerString"/> classifications and samples per string, the last
/// <see cref="RecentEvents"/> alerts and dead letters, and counts since start. Updated only after the inner write succeeded.
/// </summary>
public sealed class RecentResultsCache : IFlushableResultStore, IResultReader
{
    private readonly IResultStore _inner;
    private readonly object _gate = new();
    private readonly Dictionary<StringKey, Ring> _strings = [];
    private readonly LinkedList<AlertEvent> _alerts = new();
    private readonly LinkedList<DeadLetterRecord> _deadLetters = new();
    private long _telemetry, _conditions, _alertCount, _deadLetterCount;

    /// <summary>Wraps <paramref name="inner"/> (disposed with the cache).</summary>
    /// <param name="inner">The real store.</param>
    /// <param name="historyPerString">Rows kept per string. Default 360 (6 h of 1-minute samples).</param>
    /// <param name="recentEvents">Alerts and dead letters kept. Default 500.</param>
    /// <param name="maxStrings">Strings tracked at most. Default 10,000.</param>
    public RecentResultsCache(IResultStore inner, int historyPerString = 360, int recentEvents = 500, int maxStrings = 10_000)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        ArgumentOutOfRangeException.ThrowIfLessThan(historyPerString, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(recentEvents, 1);
        HistoryPerString = historyPerString;
        RecentEvents = recentEvents;
        MaxStrings = maxStrings;
    }

    /// <summary>Rows kept per string.</summary>
    public int HistoryPerString { get; }

    /// <summary>Alerts and dead letters kept.</summary>
    public int RecentEvents { get; }

    /// <summary>Strings tracked at most (further strings are counted but not kept).</summary>
    public int MaxStrings { get; }

    /// <summary>The wrapped store.</summary>
    public IResultStore Inner => _inner;

    /// <inheritdoc />
    public async ValueTask WriteAsync(ResultBatch batch, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _telemetry += batch.Telemetry.Count;
            _conditions += batch.Conditions.Count;
            _alertCount += batch.Alerts.Count;
            _deadLetterCount += batch.DeadLetters.Count;
            foreach (var t in batch.Telemetry) RingOf(t.Key)?.Add(t);
            foreach (var c in batch.Conditions) RingOf(c.Key)?.Add(c);
            foreach (var a in batch.Alerts) Push(_alerts, a);
            foreach (var d in batch.DeadLetters) Push(_deadLetters, d with { Payload = d.Payload.Length > 4096 ? d.Payload[..4096].ToArray() : d.Payload.ToArray() });
        }
    }

    private Ring? RingOf(StringKey key)
    {
        if (_strings.TryGetValue(key, out var ring)) return ring;
        if (_strings.Count >= MaxStrings) return null;
        ring = new Ring(HistoryPerString);
        _strings.Add(key, ring);
        return ring;
    }

    private void Push<T>(LinkedList<T> list, T item)
    {
        list.AddFirst(item);
        if (list.Count > RecentEvents) list.RemoveLast();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StringStatus>> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var list = new List<StringStatus>(_strings.Count);
            foreach (var (key, ring) in _strings)
            {
                if (ring.Latest is not { } c) continue;
                list.Add(new StringStatus(key, c.Time, c.ModelVersion, c.Condition, c.Confidence, c.Elbo, c.Anomaly, c.Night));
            }

            list.Sort((a, b) => string.CompareOrdinal(a.Key.ToString(), b.Key.ToString()));
            return Task.FromResult<IReadOnlyList<StringStatus>>(list);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ConditionRecord>> GetConditionHistoryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ConditionRecord> rows = _strings.TryGetValue(key, out var ring)
                ? ring.Conditions().Where(c => c.Time >= from && c.Time < to).OrderBy(c => c.Time).Take(limit).ToList()
                : [];
            return Task.FromResult(rows);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TelemetryRecord>> GetTelemetryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<TelemetryRecord> rows = _strings.TryGetValue(key, out var ring)
                ? ring.Telemetry().Where(t => t.Sample.Time >= from && t.Sample.Time < to).OrderBy(t => t.Sample.Time).Take(limit).ToList()
                : [];
            return Task.FromResult(rows);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<AlertEvent> rows = _alerts.Where(a => (from is null || a.Time >= from) && (to is null || a.Time < to))
                .OrderByDescending(a => a.Time).Take(limit).ToList();
            return Task.FromResult(rows);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterRecord>> GetDeadLettersAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DeadLetterRecord> rows = _deadLetters.Take(limit).ToList();
            return Task.FromResult(rows);
        }
    }

    /// <inheritdoc />
    public Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult(new StoreCounts(_telemetry, _conditions, _alertCount, _deadLetterCount, _strings.Count));
    }

    /// <inheritdoc />
    public void RequestFlush() => (_inner as IFlushableResultStore)?.RequestFlush();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private sealed class Ring(int capacity)
    {
        private readonly TelemetryRecord[] _telemetry = new TelemetryRecord[capacity];
        private readonly ConditionRecord[] _conditions = new ConditionRecord[capacity];
        private int _t, _tCount, _c, _cCount;

        public ConditionRecord? Latest { get; private set; }

        public void Add(in TelemetryRecord t)
        {
            _telemetry[_t] = t;
            _t = (_t + 1) % _telemetry.Length;
            if (_tCount < _telemetry.Length) _tCount++;
        }

        public void Add(in ConditionRecord c)
        {
            // Keep scalars only: the batch's probability and z-score memory is reused after the write.
            var copy = c with { Probabilities = ReadOnlyMemory<double>.Empty, ClassCodes = [], ReconstructionZ = ReadOnlyMemory<float>.Empty, Features = null };
            _conditions[_c] = copy;
            _c = (_c + 1) % _conditions.Length;
            if (_cCount < _conditions.Length) _cCount++;
            if (Latest is not { } latest || copy.Time >= latest.Time) Latest = copy;
        }

        public IEnumerable<TelemetryRecord> Telemetry() => _telemetry.Take(_tCount);

        public IEnumerable<ConditionRecord> Conditions() => _conditions.Take(_cCount);
    }
}
