using System.Diagnostics.Metrics;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;

namespace PvMonitor.Monitoring.Metrics;

/// <summary>
/// The worker's metrics as <see cref="System.Diagnostics.Metrics"/> instruments on meter <see cref="MeterName"/>, created once
/// here. The executable exports them on <c>/metrics</c> (OpenTelemetry's Prometheus exporter turns <c>pvmonitor.scoring.latency</c>
/// with unit <c>s</c> into <c>pvmonitor_scoring_latency_seconds</c> and appends <c>_total</c> to counters); this library only
/// records. Counters are observable instruments over <see cref="Interlocked"/> counts, so recording is one atomic add with no
/// tag lookup, every dead-letter reason and alert kind series exists from the start (value 0, so dashboards and rate() see them
/// before the first event), and the counts can be read back (<see cref="MessagesReceived"/>, <see cref="DeadLetters"/> …).
/// Distributions are <see cref="Histogram{T}"/>s with the bucket bounds given as advice.
/// </summary>
/// <remarks>
/// Exported names: <c>pvmonitor_messages_received_total</c>, <c>pvmonitor_samples_scored_total</c>,
/// <c>pvmonitor_samples_night_total</c>, <c>pvmonitor_samples_stored_total</c>, <c>pvmonitor_dead_letters_total{reason}</c>,
/// <c>pvmonitor_alerts_total{kind}</c>, <c>pvmonitor_scoring_latency_seconds</c>, <c>pvmonitor_store_latency_seconds</c>,
/// <c>pvmonitor_sample_age_at_store_seconds</c>, <c>pvmonitor_batch_size</c>, <c>pvmonitor_queue_depth{queue}</c>,
/// <c>pvmonitor_spool_bytes</c> and, after <see cref="ObserveWebhooks"/>, <c>pvmonitor_webhook_*</c>.
/// </remarks>
public sealed class MonitoringMetrics : IDisposable
{
    /// <summary>The meter's name: <c>PvMonitor</c>.</summary>
    public const string MeterName = "PvMonitor";

    /// <summary>Bucket bounds of the latency histograms, seconds.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    /// <summary>Bucket bounds of <see cref="BatchSize"/>, samples.</summary>
    public static IReadOnlyList<int> BatchSizeBuckets { get; } = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private static readonly string[] QueueNames = ["input", "score", "store"];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly long[] _deadLetters = new long[Enum.GetValues<DeadLetterReason>().Length];
    private readonly long[] _alerts = new long[Enum.GetValues<AlertKind>().Length];
    private readonly long[] _queueDepths = new long[QueueNames.Length];
    private long _messagesReceived;
    private long _samplesScored;
    private long _samplesNight;
    private long _samplesStored;
    private Func<long>? _spoolBytes;
    private int _webhooksObserved;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (the host's), or on a meter of its own.</summary>
    public MonitoringMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);

        _meter.CreateObservableCounter("pvmonitor.messages.received", () => Interlocked.Read(ref _messagesReceived), null, "MQTT telemetry messages received.");
        _meter.CreateObservableCounter("pvmonitor.samples.scored", () => Interlocked.Read(ref _samplesScored), null, "Samples classified by the model.");
        _meter.CreateObservableCounter("pvmonitor.samples.night", () => Interlocked.Read(ref _samplesNight), null, "Samples below the night irradiance threshold (stored, not scored).");
        _meter.CreateObservableCounter("pvmonitor.samples.stored", () => Interlocked.Read(ref _samplesStored), null, "Samples durably written to the result store.");
        var reasons = DeadLetterReasonExtensions.All.Select(r => ((int)r, new KeyValuePair<string, object?>("reason", r.ToLabel()))).ToArray();
        _meter.CreateObservableCounter("pvmonitor.dead_letters", () => Read(_deadLetters, reasons), null, "Messages rejected and dead-lettered, by reason.");
        var kinds = Enum.GetValues<AlertKind>().Select(k => ((int)k, new KeyValuePair<string, object?>("kind", k.ToWireName()))).ToArray();
        _meter.CreateObservableCounter("pvmonitor.alerts", () => Read(_alerts, kinds), null, "Alert events emitted, by kind.");

        var latency = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        ScoringLatency = _meter.CreateHistogram("pvmonitor.scoring.latency", "s", "Time to score one micro-batch, seconds.", tags: null, latency);
        StoreLatency = _meter.CreateHistogram("pvmonitor.store.latency", "s", "Time to write one batch durably, seconds.", tags: null, latency);
        SampleAgeAtStore = _meter.CreateHistogram("pvmonitor.sample_age_at_store", "s",
            "Wall-clock time when a sample became durable minus its timestamp, seconds (publish-to-stored latency for live telemetry).", tags: null, latency);
        BatchSize = _meter.CreateHistogram("pvmonitor.batch.size", "{sample}", "Samples per scoring micro-batch.", tags: null,
            new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBuckets });

        var queues = QueueNames.Select((name, i) => (i, new KeyValuePair<string, object?>("queue", name))).ToArray();
        _meter.CreateObservableGauge("pvmonitor.queue.depth", () => Read(_queueDepths, queues), "{item}", "Items waiting in a pipeline queue, by queue.");
        _meter.CreateObservableGauge("pvmonitor.spool.bytes", () => Volatile.Read(ref _spoolBytes)?.Invoke() ?? 0, "By", "Bytes waiting in the on-disk spool.");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter => _meter;

    /// <summary><c>pvmonitor_scoring_latency_seconds</c>: one value per scored micro-batch, seconds.</summary>
    public Histogram<double> ScoringLatency { get; }

    /// <summary><c>pvmonitor_store_latency_seconds</c>: one value per durable batch write, seconds.</summary>
    public Histogram<double> StoreLatency { get; }

    /// <summary><c>pvmonitor_sample_age_at_store_seconds</c>: one value per stored sample, seconds.</summary>
    public Histogram<double> SampleAgeAtStore { get; }

    /// <summary><c>pvmonitor_batch_size</c>: samples per scored micro-batch.</summary>
    public Histogram<int> BatchSize { get; }

    /// <summary>Messages received so far (<c>pvmonitor_messages_received_total</c>).</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>Samples scored so far (<c>pvmonitor_samples_scored_total</c>).</summary>
    public long SamplesScored => Interlocked.Read(ref _samplesScored);

    /// <summary>Night samples so far (<c>pvmonitor_samples_night_total</c>).</summary>
    public long SamplesNight => Interlocked.Read(ref _samplesNight);

    /// <summary>Samples stored so far (<c>pvmonitor_samples_stored_total</c>).</summary>
    public long SamplesStored => Interlocked.Read(ref _samplesStored);

    /// <summary>Counts one received message.</summary>
    public void MessageReceived() => Interlocked.Increment(ref _messagesReceived);

    /// <summary>Counts <paramref name="count"/> scored samples.</summary>
    public void Scored(long count) => Interlocked.Add(ref _samplesScored, count);

    /// <summary>Counts <paramref name="count"/> night samples (stored, not scored).</summary>
    public void Night(long count) => Interlocked.Add(ref _samplesNight, count);

    /// <summary>Counts <paramref name="count"/> durably stored samples.</summary>
    public void Stored(long count) => Interlocked.Add(ref _samplesStored, count);

    /// <summary>Counts one dead letter of <paramref name="reason"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is <see cref="DeadLetterReason.None"/> or unknown.</exception>
    public void DeadLettered(DeadLetterReason reason) => Interlocked.Increment(ref _deadLetters[DeadLetterIndex(reason)]);

    /// <summary>Dead letters of <paramref name="reason"/> so far (<c>pvmonitor_dead_letters_total{reason}</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is <see cref="DeadLetterReason.None"/> or unknown.</exception>
    public long DeadLetters(DeadLetterReason reason) => Interlocked.Read(ref _deadLetters[DeadLetterIndex(reason)]);

    /// <summary>Counts one emitted alert of <paramref name="kind"/>.</summary>
    public void AlertEmitted(AlertKind kind) => Interlocked.Increment(ref _alerts[(int)kind]);

    /// <summary>Alerts of <paramref name="kind"/> so far (<c>pvmonitor_alerts_total{kind}</c>).</summary>
    public long Alerts(AlertKind kind) => Interlocked.Read(ref _alerts[(int)kind]);

    /// <summary>Sets the depth of <paramref name="queue"/> (<c>pvmonitor_queue_depth{queue}</c>), items.</summary>
    public void SetQueueDepth(PipelineQueue queue, int depth) => Volatile.Write(ref _queueDepths[(int)queue], depth);

    /// <summary>The depth last set for <paramref name="queue"/>, items.</summary>
    public long QueueDepth(PipelineQueue queue) => Volatile.Read(ref _queueDepths[(int)queue]);

    /// <summary><c>pvmonitor_spool_bytes</c> reads <paramref name="bytes"/> at each collection (0 until set; the host sets it when a spool exists).</summary>
    public void ObserveSpool(Func<long> bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Volatile.Write(ref _spoolBytes, bytes);
    }

    /// <summary>
    /// Exposes a <see cref="WebhookDispatcher"/>'s counts, read at each collection: <c>pvmonitor_webhook_delivered_total</c>,
    /// <c>pvmonitor_webhook_failures_total</c> (failed attempts), <c>pvmonitor_webhook_given_up_total</c>,
    /// <c>pvmonitor_webhook_dropped_total</c> and <c>pvmonitor_webhook_queue_depth</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called a second time.</exception>
    public void ObserveWebhooks(WebhookDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        if (Interlocked.Exchange(ref _webhooksObserved, 1) != 0) throw new InvalidOperationException("Webhook metrics are already observed.");
        _meter.CreateObservableCounter("pvmonitor.webhook.delivered", () => dispatcher.Delivered, null, "Alerts delivered to a webhook (2xx).");
        _meter.CreateObservableCounter("pvmonitor.webhook.failures", () => dispatcher.FailedAttempts, null, "Failed webhook HTTP attempts (including ones retried successfully).");
        _meter.CreateObservableCounter("pvmonitor.webhook.given_up", () => dispatcher.Failed, null, "Webhook deliveries given up after retries.");
        _meter.CreateObservableCounter("pvmonitor.webhook.dropped", () => dispatcher.Dropped, null, "Alerts dropped because a webhook queue was full or the dispatcher stopped.");
        _meter.CreateObservableGauge("pvmonitor.webhook.queue_depth", () => dispatcher.QueueDepth, "{alert}", "Alerts waiting for webhooks.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }

    private int DeadLetterIndex(DeadLetterReason reason) =>
        (int)reason > 0 && (int)reason < _deadLetters.Length
            ? (int)reason
            : throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a dead-letter reason.");

    private static Measurement<long>[] Read(long[] counts, (int Index, KeyValuePair<string, object?> Tag)[] series)
    {
        var values = new Measurement<long>[series.Length];
        for (var i = 0; i < series.Length; i++)
            values[i] = new Measurement<long>(Interlocked.Read(ref counts[series[i].Index]), series[i].Tag);
        return values;
    }
}
