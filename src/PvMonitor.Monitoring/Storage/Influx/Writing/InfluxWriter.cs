using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Spool;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>
/// Batching InfluxDB writer that never drops a point silently. <see cref="WriteAsync"/> encodes the point at once into the
/// open batch and returns a task that completes when the point is <b>durable</b>: stored by the server, set aside as a dead
/// letter (the server refused it as bad data), or fsynced into the disk spool because the server is away. Upstream
/// acknowledgements (an MQTT PUBACK) should wait for that task.
/// </summary>
/// <remarks>
/// <para>Batches are sent when they hold <see cref="InfluxOptions.BatchSize"/> points or <see cref="InfluxOptions.FlushIntervalMs"/>
/// after their first point (or on <see cref="FlushAsync"/>), one request at a time, in order. A batch that is due while an
/// earlier one is still being sent keeps filling until the sender is free (it could not leave sooner anyway), so under load
/// requests grow towards <see cref="InfluxOptions.BatchSize"/> instead of the server receiving many small ones. Durability is
/// reported in write order, so awaiting the task of the last point written covers every earlier one.</para>
/// <para>While anything waits in the spool, new batches are appended behind it and the spool is replayed oldest first, so the
/// server receives batches in the order they were written. When the spool is full (or absent) and the server is away, batches
/// wait in memory, at most <see cref="InfluxOptions.MaxPendingBatches"/>; then <see cref="WriteAsync"/> waits too: back-pressure
/// instead of loss. <see cref="Status"/> shows the state (e.g. <see cref="InfluxWriterState.SpoolFull"/>).</para>
/// <para>Points without a timestamp get the writer clock's time when they are written, so a spooled point keeps its time.</para>
/// <para>Back-pressure reaches callers that await their tasks (one awaited write per MQTT message, or a window of outstanding
/// batches). A caller that fires writes without ever awaiting bypasses it: points that find no room queue in memory.</para>
/// </remarks>
public sealed partial class InfluxWriter : IAsyncDisposable
{
    private readonly InfluxOptions _options;
    private readonly WritePrecision _precision;
    private readonly IInfluxWriteEndpoint _endpoint;
    private readonly IDisposable? _ownedEndpoint;
    private readonly IDeadLetterSink? _deadLetters;
    private readonly IDisposable? _ownedDeadLetters;
    private readonly DiskSpool? _spool;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BatchDelivery _delivery;
    private readonly BackoffSchedule _backoff;
    private readonly WriterCounters _counters = new();
    private readonly DeadLetterLog _recentDeadLetters = new(20);
    private readonly LinkedList<PendingWrite> _waiters = new();
    private int _freeSlots;
    private readonly Channel<LineBatch> _queue;
    private readonly Stack<LineBatch> _free = new();
    private readonly object _gate = new();
    private readonly ITimer _flushTimer;
    private readonly TimeSpan _flushInterval;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _loop;
    private LineBatch? _current;
    private int _sealedOutstanding; // sealed batches not yet completed (queued or being sent)
    private bool _sealWhenIdle;     // the open batch is due: seal it as soon as _sealedOutstanding drops to 0
    private Task _lastSealed = Task.CompletedTask;
    private volatile InfluxWriterState _state = InfluxWriterState.Online;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _lastWriteAt;
    private bool _closed;

    /// <summary>
    /// Creates and starts a writer. Without an <paramref name="endpoint"/> it writes per <paramref name="options"/> (version 1:
    /// <see cref="InfluxV1Endpoint"/>; version 2: <see cref="InfluxV2Endpoint"/>);
    /// without <paramref name="deadLetters"/> it appends them to <see cref="InfluxOptions.DeadLetterPath"/> (if set).
    /// <paramref name="timeProvider"/> drives flush timers, backoff and missing timestamps; <paramref name="random"/> (values in [0, 1))
    /// drives retry jitter (default: the shared random source).
    /// </summary>
    public InfluxWriter(
        InfluxOptions options,
        IInfluxWriteEndpoint? endpoint = null,
        IDeadLetterSink? deadLetters = null,
        TimeProvider? timeProvider = null,
        Func<double>? random = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        _options = options;
        _precision = options.Precision;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        random ??= Random.Shared.NextDouble;
        _flushInterval = TimeSpan.FromMilliseconds(options.FlushIntervalMs);

        if (endpoint is null)
        {
            var (created, owned) = CreateEndpoint(options, _time);
            _endpoint = created;
            _ownedEndpoint = owned;
        }
        else
        {
            _endpoint = endpoint;
        }

        try
        {
            if (deadLetters is null && !string.IsNullOrWhiteSpace(options.DeadLetterPath))
            {
                var file = new FileDeadLetterSink(options.DeadLetterPath);
                _ownedDeadLetters = file;
                deadLetters = file;
            }

            _deadLetters = deadLetters;
            if (!string.IsNullOrWhiteSpace(options.SpoolPath))
                _spool = DiskSpool.Open(options.SpoolPath, options.SpoolMaxBytes, options.SpoolSegmentBytes, options.SpoolFsync, _logger);
        }
        catch
        {
            _ownedDeadLetters?.Dispose();
            _ownedEndpoint?.Dispose();
            throw;
        }

        var pipeline = InfluxRetry.CreatePipeline(options, _time, random);
        _delivery = new BatchDelivery(_endpoint, pipeline, _deadLetters, _counters, _recentDeadLetters, _time, _logger);
        _backoff = new BackoffSchedule(TimeSpan.FromMilliseconds(options.RetryBaseDelayMs), TimeSpan.FromMilliseconds(options.RetryMaxDelayMs), random);
        _freeSlots = options.MaxPendingBatches;
        _queue = Channel.CreateUnbounded<LineBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        _flushTimer = _time.CreateTimer(static s => ((InfluxWriter)s!).OnFlushTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_spool is { IsEmpty: false })
            _state = InfluxWriterState.Spooling;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// The endpoint <see cref="InfluxOptions.Version"/> asks for: 1 = <see cref="InfluxV1Endpoint"/> (<c>/write?db=</c> over
    /// HttpClient), 2 = <see cref="InfluxV2Endpoint"/> (InfluxDB.Client's awaitable write API).
    /// </summary>
    private static (IInfluxWriteEndpoint Endpoint, IDisposable Owned) CreateEndpoint(InfluxOptions options, TimeProvider time)
    {
        if (options.Version == 2)
        {
            var v2 = new InfluxV2Endpoint(options);
            return (v2, v2);
        }

        var v1 = new InfluxV1Endpoint(options, timeProvider: time);
        return (v1, v1);
    }

    /// <summary>The options in use.</summary>
    public InfluxOptions Options => _options;

    /// <summary>The current state (cheap; <see cref="Status"/> has the details).</summary>
    public InfluxWriterState State => _state;

    internal WriterCounters Counters => _counters;

    internal Spool.SpoolStatus? SpoolStatus => _spool?.GetStatus();

    /// <summary>A snapshot of state, counts, spool and recent dead letters.</summary>
    public InfluxWriterStatus Status
    {
        get
        {
            string? lastError;
            DateTimeOffset? lastErrorAt, lastWriteAt;
            lock (_gate)
            {
                lastError = _lastError;
                lastErrorAt = _lastErrorAt;
                lastWriteAt = _lastWriteAt;
            }

            return new InfluxWriterStatus(
                _state,
                Interlocked.Read(ref _counters.Accepted),
                Interlocked.Read(ref _counters.Written),
                Interlocked.Read(ref _counters.Spooled),
                Interlocked.Read(ref _counters.Replayed),
                Interlocked.Read(ref _counters.DeadLettered),
                Interlocked.Read(ref _counters.InMemory),
                Interlocked.Read(ref _counters.FailedRequests),
                lastError,
                lastErrorAt,
                lastWriteAt,
                _spool?.GetStatus(),
                _recentDeadLetters.Snapshot());
        }
    }

    /// <summary>
    /// Adds <paramref name="point"/> to the open batch and returns a task that completes when it is durable (see the class
    /// remarks). The point is encoded before this method returns, so the instance may be reused at once.
    /// <paramref name="cancellationToken"/> cancels only a wait for room (back-pressure); once accepted a point is delivered.
    /// </summary>
    /// <exception cref="LineProtocolException">The point has no fields or its timestamp does not fit the precision.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public ValueTask WriteAsync(PointData point, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(point);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_waiters.Count == 0 && (_current is not null || TryOpenBatchLocked()))
                return new ValueTask(AppendLocked(point));
        }

        return WriteWhenRoomAsync(point, cancellationToken);
    }

    /// <summary>
    /// Sends the open batch now, or as soon as the batches before it have been sent (one request at a time; until then it keeps
    /// taking points). The task completes when everything written so far is durable.
    /// </summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            if (_current is { Count: > 0 } batch)
            {
                if (_sealedOutstanding == 0)
                {
                    SealLocked();
                }
                else
                {
                    _sealWhenIdle = true;
                    return batch.Completion!.Task;
                }
            }

            return _lastSealed;
        }
    }

    /// <summary>
    /// Sends the open batch, waits up to <see cref="InfluxOptions.ShutdownTimeoutMs"/> for every batch in memory to become durable
    /// (written or spooled), then stops. Tasks of points that could not be made durable fail with <see cref="InfluxWriteException"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            if (_current is { Count: > 0 })
            {
                SealLocked();
            }
            else if (_current is not null)
            {
                _free.Push(_current);
                _current = null;
                _freeSlots++;
            }

            foreach (var waiter in _waiters)
                waiter.Fail(new ObjectDisposedException(GetType().FullName, "The InfluxDB writer was disposed before the point found room."));
            _waiters.Clear();
        }

        _flushTimer.Dispose();
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromMilliseconds(_options.ShutdownTimeoutMs), _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogShutdownTimeout(Interlocked.Read(ref _counters.InMemory));
            await _abort.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }

        _state = InfluxWriterState.Stopped;
        _spool?.Dispose();
        _ownedDeadLetters?.Dispose();
        _ownedEndpoint?.Dispose();
        lock (_gate)
        {
            while (_free.TryPop(out var batch))
                batch.Dispose();
        }

        _abort.Dispose();
    }

    private bool TryOpenBatchLocked()
    {
        if (_freeSlots == 0)
            return false;
        _freeSlots--;
        OpenBatchLocked();
        return true;
    }

    private void OpenBatchLocked()
    {
        var batch = _free.TryPop(out var reused) ? reused : new LineBatch(_options.BatchSize, Math.Min(_options.BatchSize, 100_000) * 160);
        batch.Reset(_precision);
        batch.Completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _current = batch;
    }

    private Task AppendLocked(PointData point)
    {
        var batch = _current!;
        LineProtocolEncoder.Write(batch.Text, point, _precision, point.HasTimestamp ? null : Now());
        return EndLineLocked(batch);
    }

    private Task EndLineLocked(LineBatch batch)
    {
        batch.EndLine();
        Interlocked.Increment(ref _counters.Accepted);
        Interlocked.Increment(ref _counters.InMemory);
        var task = batch.Completion!.Task;
        if (batch.Count == 1)
        {
            batch.OpenedAt = _time.GetTimestamp();
            _flushTimer.Change(_flushInterval, Timeout.InfiniteTimeSpan);
        }

        if (batch.Count >= _options.BatchSize)
            SealLocked();
        return task;
    }

    private void SealLocked()
    {
        var batch = _current!;
        _current = null;
        _sealWhenIdle = false;
        _sealedOutstanding++;
        _lastSealed = batch.Completion!.Task;
        _queue.Writer.TryWrite(batch);
    }

    private void OnFlushTimer()
    {
        lock (_gate)
        {
            if (_current is not { Count: > 0 } batch)
                return;
            var elapsed = _time.GetElapsedTime(batch.OpenedAt);
            if (elapsed < _flushInterval)
                _flushTimer.Change(_flushInterval - elapsed, Timeout.InfiniteTimeSpan);
            else if (_sealedOutstanding == 0)
                SealLocked();
            else
                _sealWhenIdle = true; // sealed by Complete when the sender is free
        }
    }

    private long Now() => LineProtocolEncoder.ToTimestamp(_time.GetUtcNow(), _precision);

    /// <summary>Marks a batch durable (or failed), frees its slot and recycles it.</summary>
    private void Complete(LineBatch batch, Exception? error = null)
    {
        var completion = batch.Completion!;
        Interlocked.Add(ref _counters.InMemory, -batch.Count);
        lock (_gate)
        {
            batch.Completion = null;
            _sealedOutstanding--;
            if (_sealedOutstanding == 0 && _sealWhenIdle && _current is { Count: > 0 })
                SealLocked();
            if (_free.Count < _options.MaxPendingBatches && !_closed)
                _free.Push(batch);
            else
                batch.Dispose();
            _freeSlots++;
            AdmitWaitersLocked();
        }

        if (error is null)
            completion.TrySetResult();
        else
            completion.TrySetException(error);
    }
}
