using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Metrics;
using PvMonitor.Monitoring.Scoring;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Pipeline;

/// <summary>
/// The monitoring worker's pipeline: <see cref="Input"/> (telemetry messages) → parse and validate (dead letters with a
/// reason; night rows stored, not scored) → micro-batches scored by the active model → alert engine → durable store write →
/// acknowledgement of every message of the batch → alerts handed to the publisher (webhooks; never blocks ingestion).
/// </summary>
/// <remarks>
/// Stages run on three loops joined by bounded channels; a fixed pool of <see cref="PipelineOptions.BatchesInFlight"/> batches
/// bounds memory. When the store is slow the pool empties, the parse loop waits, <see cref="Input"/> fills and its writer (the
/// MQTT receive pump) waits: back-pressure reaches the socket. A failed store write is retried (with backoff) and its
/// messages are not acknowledged until it succeeds. <see cref="StopAsync"/> completes the input and drains in-flight batches.
/// </remarks>
public sealed partial class MonitoringPipeline : IAsyncDisposable
{
    private static readonly TimeSpan MaxStoreRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly ResiliencePropertyKey<int> RowsKey = new("pvmonitor.rows");
    private readonly PipelineOptions _options;
    private readonly TelemetryPayloadParser _parser;
    private readonly DuplicateFilter _duplicates;
    private ConditionScorer _scorer;
    private readonly AlertEngine _alerts;
    private readonly TimeSpan _groupWindow;
    private readonly IResultStore _store;
    private readonly IAlertPublisher? _publisher;
    private readonly MonitoringMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<InboundMessage> _input;
    private readonly Channel<PipelineBatch> _free;
    private readonly Channel<PipelineBatch> _toScore;
    private readonly Channel<PipelineBatch> _toStore;
    private readonly CancellationTokenSource _hardStop = new();
    private readonly ResiliencePipeline _storeRetry;
    private readonly object _statusGate = new();
    private Task? _loops;
    private bool _storeHealthy = true;
    private string? _lastStoreError;
    private long _received;
    private long _stored;
    private long _deadLettered;
    private long _alertsStored;

    /// <summary>Creates the pipeline (call <see cref="Start"/>). Nothing passed in is owned or disposed by it.</summary>
    /// <param name="options">Stage settings (validated here).</param>
    /// <param name="parser">Payload parser and validator.</param>
    /// <param name="duplicates">Duplicate filter (recorded only after durable writes).</param>
    /// <param name="scorer">The active model.</param>
    /// <param name="alertEngine">Alert state machine (used only by the score loop).</param>
    /// <param name="groupWindow">The alert engine's group window (to release groups when data stops).</param>
    /// <param name="store">Where results go; <see cref="IResultStore.WriteAsync"/> completing means durable.</param>
    /// <param name="publisher">Where stored alerts go (webhooks); null for none.</param>
    /// <param name="metrics">Worker metrics.</param>
    /// <param name="timeProvider">Clock for batch deadlines, receive times and retries; default system.</param>
    /// <param name="logger">Logger.</param>
    public MonitoringPipeline(
        PipelineOptions options,
        TelemetryPayloadParser parser,
        DuplicateFilter duplicates,
        ConditionScorer scorer,
        AlertEngine alertEngine,
        TimeSpan groupWindow,
        IResultStore store,
        IAlertPublisher? publisher,
        MonitoringMetrics metrics,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));
        _options = options;
        _parser = parser ?? throw new ArgumentNullException(nameof(parser));
        _duplicates = duplicates ?? throw new ArgumentNullException(nameof(duplicates));
        _scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));
        _alerts = alertEngine ?? throw new ArgumentNullException(nameof(alertEngine));
        _groupWindow = groupWindow;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _publisher = publisher;
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _storeRetry = CreateStoreRetry();
        _input = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.InputQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        var inFlight = options.BatchesInFlight;
        _free = Channel.CreateBounded<PipelineBatch>(new BoundedChannelOptions(inFlight) { SingleReader = false, SingleWriter = false });
        for (var i = 0; i < inFlight; i++)
            _free.Writer.TryWrite(new PipelineBatch(options.MaxBatchSize, scorer.CreateBatch(options.MaxBatchSize)));
        _toScore = Channel.CreateBounded<PipelineBatch>(new BoundedChannelOptions(inFlight) { SingleReader = true, SingleWriter = true });
        _toStore = Channel.CreateBounded<PipelineBatch>(new BoundedChannelOptions(inFlight) { SingleReader = true, SingleWriter = true });
    }

    /// <summary>
    /// Where telemetry enters. Bounded (<see cref="PipelineOptions.InputQueueCapacity"/>, wait when full); complete it (or call
    /// <see cref="StopAsync"/>) to drain and stop.
    /// </summary>
    public ChannelWriter<InboundMessage> Input => _input.Writer;

    /// <summary>The scorer (active model).</summary>
    public ConditionScorer Scorer => Volatile.Read(ref _scorer);

    /// <summary>Tracks each string's recent ELBOs against the model's training distribution (fed by the scoring stage); null: not tracked.</summary>
    public Operations.Drift.DriftMonitor? Drift { get; init; }

    /// <summary>
    /// Scores every batch from now on with <paramref name="next"/> (a hot swap: a batch already being scored finishes on the
    /// previous scorer; no message is lost or scored twice). Thread-safe.
    /// </summary>
    public void SwapScorer(ConditionScorer next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _scorer, next);
    }

    /// <summary>Completes when every loop has ended (after the input completed and the last batch was stored).</summary>
    public Task Completion => _loops ?? Task.CompletedTask;

    /// <summary>A snapshot of counters and health.</summary>
    public PipelineStatus Status
    {
        get
        {
            lock (_statusGate)
            {
                return new PipelineStatus(_loops is { IsCompleted: false }, _storeHealthy, _lastStoreError, Scorer.ModelVersion,
                    Interlocked.Read(ref _received), Interlocked.Read(ref _stored), Interlocked.Read(ref _deadLettered),
                    Interlocked.Read(ref _alertsStored), _input.Reader.Count);
            }
        }
    }

    /// <summary>Starts the parse, score and store loops.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        if (_loops is not null) throw new InvalidOperationException("The pipeline is already running.");
        var parse = Task.Run(ParseLoopAsync);
        var score = Task.Run(ScoreLoopAsync);
        var store = Task.Run(StoreLoopAsync);
        _loops = Task.WhenAll(parse, score, store);
    }

    /// <summary>
    /// Completes the input and waits up to <paramref name="drainTimeout"/> (default <see cref="PipelineOptions.ShutdownDrainSeconds"/>)
    /// for in-flight batches to be stored and acknowledged; after that, pending work is abandoned unacknowledged (the broker
    /// redelivers it).
    /// </summary>
    public async Task StopAsync(TimeSpan? drainTimeout = null)
    {
        _input.Writer.TryComplete();
        if (_loops is null) return;
        var timeout = drainTimeout ?? TimeSpan.FromSeconds(_options.ShutdownDrainSeconds);
        try
        {
            await _loops.WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Pipeline drain did not finish within {Timeout}; abandoning unacknowledged batches.", timeout);
            await _hardStop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _loops.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _hardStop.Dispose();
    }

    private async Task StoreLoopAsync()
    {
        var token = _hardStop.Token;
        var reader = _toStore.Reader;
        var inFlight = new Queue<(PipelineBatch Batch, Task Write)>();
        while (true)
        {
            if (inFlight.Count == 0 && !await reader.WaitToReadAsync(token).ConfigureAwait(false)) break;
            if (inFlight.Count < _options.MaxConcurrentWrites && reader.TryRead(out var batch))
            {
                _metrics.SetQueueDepth(PipelineQueue.Store, reader.Count);
                inFlight.Enqueue((batch, batch.Results.IsEmpty ? Task.CompletedTask : WriteWithRetryAsync(batch.Results, token)));
                continue;
            }

            // At the write limit, or nothing new to write: send what the store holds, then finish the oldest write
            // (acknowledgements stay in order).
            (_store as IFlushableResultStore)?.RequestFlush();
            var (done, write) = inFlight.Dequeue();
            await write.ConfigureAwait(false);
            await CompleteAsync(done).ConfigureAwait(false);
        }

        (_store as IFlushableResultStore)?.RequestFlush();
        while (inFlight.Count > 0)
        {
            var (done, write) = inFlight.Dequeue();
            await write.ConfigureAwait(false);
            await CompleteAsync(done).ConfigureAwait(false);
        }
    }

    private async Task CompleteAsync(PipelineBatch batch)
    {
        var now = _time.GetUtcNow();
        for (var i = 0; i < batch.Count; i++)
        {
            var time = batch.Samples[i].Time;
            _duplicates.MarkStored(batch.Keys[i], time);
            _metrics.SampleAgeAtStore.Record(Math.Max(0, (now - time).TotalSeconds));
        }

        _metrics.Stored(batch.Count);
        Interlocked.Add(ref _stored, batch.Count);
        foreach (var delivery in batch.Deliveries)
            await delivery.AcknowledgeAsync().ConfigureAwait(false);

        foreach (var alert in batch.Results.Alerts)
        {
            Interlocked.Increment(ref _alertsStored);
            _metrics.AlertEmitted(alert.Kind);
            try
            {
                if (_publisher is not null && !_publisher.TryPublish(alert))
                    _logger.LogWarning("Alert {Kind} for {Plant}/{Inverter}/{Strings} was not queued for webhooks (queue full); it is stored in pv_alert.", alert.Kind.ToWireName(), alert.Plant, alert.Inverter, alert.StringList);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Alert publisher failed for {Kind} {Plant}/{Inverter}/{Strings}.", alert.Kind.ToWireName(), alert.Plant, alert.Inverter, alert.StringList);
            }
        }

        batch.Reset();
        _free.Writer.TryWrite(batch);
    }

    private async Task WriteWithRetryAsync(ResultBatch results, CancellationToken token)
    {
        var context = ResilienceContextPool.Shared.Get(token);
        context.Properties.Set(RowsKey, results.Count);
        try
        {
            var start = _time.GetTimestamp();
            await _storeRetry.ExecuteAsync(static (ctx, state) => state._store.WriteAsync(state.results, ctx.CancellationToken), context, (_store, results))
                .ConfigureAwait(false);
            _metrics.StoreLatency.Record(_time.GetElapsedTime(start).TotalSeconds);
            if (!_storeHealthy)
            {
                lock (_statusGate) _storeHealthy = true;
                _logger.LogInformation("Result store writes succeed again.");
            }
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Store writes are retried until they succeed or the pipeline is stopped hard: exponential from
    /// <see cref="PipelineOptions.StoreRetryDelayMs"/>, doubling up to 5 s, without jitter (one writer per process). While
    /// retrying, the batch's messages stay unacknowledged and <c>/readyz</c> reports the store as failing.
    /// </summary>
    private ResiliencePipeline CreateStoreRetry() => new ResiliencePipelineBuilder { TimeProvider = _time }
        .AddRetry(new RetryStrategyOptions
        {
            // Everything but the pipeline's own hard stop (a store's internal timeout is retried like any failure).
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex &&
                !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(_options.StoreRetryDelayMs),
            MaxDelay = MaxStoreRetryDelay,
            UseJitter = false,
            OnRetry = args =>
            {
                var ex = args.Outcome.Exception!;
                lock (_statusGate)
                {
                    _storeHealthy = false;
                    _lastStoreError = ex.Message;
                }

                args.Context.Properties.TryGetValue(RowsKey, out var rows);
                _logger.LogError(ex, "Result store write of {Rows} rows failed; retrying in {Delay} (messages stay unacknowledged).", rows, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        })
        .Build();
}
