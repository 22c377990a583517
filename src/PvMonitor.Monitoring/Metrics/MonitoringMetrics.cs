using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;

namespace PvMonitor.Monitoring.Metrics;

/// <summary>
/// The worker's metrics, created on one <see cref="MetricsRegistry"/> (names prefixed <c>pvmonitor_</c>). Every dead-letter
/// reason and alert kind series exists from the start (value 0), so dashboards and rate() see them before the first event.
/// </summary>
public sealed class MonitoringMetrics
{
    /// <summary>Buckets of <see cref="ScoringLatency"/> and <see cref="StoreLatency"/>, seconds.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    /// <summary>Buckets of <see cref="BatchSize"/>, samples.</summary>
    public static IReadOnlyList<double> BatchSizeBuckets { get; } = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Counter[] _deadLetters;

    /// <summary>Creates the metrics on <paramref name="registry"/>.</summary>
    /// <exception cref="ArgumentException">One of the names is already registered.</exception>
    public MonitoringMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        MessagesReceived = registry.CreateCounter("pvmonitor_messages_received_total", "MQTT telemetry messages received.");
        SamplesScored = registry.CreateCounter("pvmonitor_samples_scored_total", "Samples classified by the model.");
        SamplesNight = registry.CreateCounter("pvmonitor_samples_night_total", "Samples below the night irradiance threshold (stored, not scored).");
        SamplesStored = registry.CreateCounter("pvmonitor_samples_stored_total", "Samples durably written to the result store.");
        DeadLetters = registry.CreateCounterFamily("pvmonitor_dead_letters_total", "Messages rejected and dead-lettered, by reason.", "reason");
        _deadLetters = new Counter[Enum.GetValues<DeadLetterReason>().Length];
        foreach (var reason in DeadLetterReasonExtensions.All) _deadLetters[(int)reason] = DeadLetters.WithLabels(reason.ToLabel());
        Alerts = registry.CreateCounterFamily("pvmonitor_alerts_total", "Alert events emitted, by kind.", "kind");
        foreach (var kind in Enum.GetValues<AlertKind>()) Alerts.WithLabels(kind.ToWireName());
        ScoringLatency = registry.CreateHistogram("pvmonitor_scoring_latency_seconds", "Time to score one micro-batch, seconds.", LatencyBuckets);
        StoreLatency = registry.CreateHistogram("pvmonitor_store_latency_seconds", "Time to write one batch durably, seconds.", LatencyBuckets);
        BatchSize = registry.CreateHistogram("pvmonitor_batch_size", "Samples per scoring micro-batch.", BatchSizeBuckets);
        QueueDepth = registry.CreateGaugeFamily("pvmonitor_queue_depth", "Items waiting in a pipeline queue, by queue.", "queue");
        SpoolBytes = registry.CreateGauge("pvmonitor_spool_bytes", "Bytes waiting in the on-disk spool.");
    }

    /// <summary>The registry the metrics live in.</summary>
    public MetricsRegistry Registry { get; }

    /// <summary><c>pvmonitor_messages_received_total</c>.</summary>
    public Counter MessagesReceived { get; }

    /// <summary><c>pvmonitor_samples_scored_total</c>.</summary>
    public Counter SamplesScored { get; }

    /// <summary><c>pvmonitor_samples_night_total</c>.</summary>
    public Counter SamplesNight { get; }

    /// <summary><c>pvmonitor_samples_stored_total</c>.</summary>
    public Counter SamplesStored { get; }

    /// <summary><c>pvmonitor_dead_letters_total{reason}</c>; prefer <see cref="DeadLettered"/>.</summary>
    public MetricFamily<Counter> DeadLetters { get; }

    /// <summary><c>pvmonitor_alerts_total{kind}</c>.</summary>
    public MetricFamily<Counter> Alerts { get; }

    /// <summary><c>pvmonitor_scoring_latency_seconds</c>.</summary>
    public Histogram ScoringLatency { get; }

    /// <summary><c>pvmonitor_store_latency_seconds</c>.</summary>
    public Histogram StoreLatency { get; }

    /// <summary><c>pvmonitor_batch_size</c>.</summary>
    public Histogram BatchSize { get; }

    /// <summary><c>pvmonitor_queue_depth{queue}</c>: set per queue, e.g. <c>WithLabels("ingest").Set(n)</c>.</summary>
    public MetricFamily<Gauge> QueueDepth { get; }

    /// <summary><c>pvmonitor_spool_bytes</c>.</summary>
    public Gauge SpoolBytes { get; }

    /// <summary>The dead-letter counter of <paramref name="reason"/> (cached, allocation-free).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is <see cref="DeadLetterReason.None"/> or unknown.</exception>
    public Counter DeadLettered(DeadLetterReason reason) =>
        (int)reason > 0 && (int)reason < _deadLetters.Length && _deadLetters[(int)reason] is { } c
            ? c
            : throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a dead-letter reason.");

    /// <summary>
    /// Exposes a <see cref="WebhookDispatcher"/>'s counts: <c>pvmonitor_webhook_delivered_total</c>,
    /// <c>pvmonitor_webhook_failures_total</c> (failed attempts), <c>pvmonitor_webhook_given_up_total</c>,
    /// <c>pvmonitor_webhook_dropped_total</c> and <c>pvmonitor_webhook_queue_depth</c>. Call once.
    /// </summary>
    public void ObserveWebhooks(WebhookDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        Registry.CreateCounter("pvmonitor_webhook_delivered_total", "Alerts delivered to a webhook (2xx).", () => dispatcher.Delivered);
        Registry.CreateCounter("pvmonitor_webhook_failures_total", "Failed webhook HTTP attempts (including ones retried successfully).", () => dispatcher.FailedAttempts);
        Registry.CreateCounter("pvmonitor_webhook_given_up_total", "Webhook deliveries given up after retries.", () => dispatcher.Failed);
        Registry.CreateCounter("pvmonitor_webhook_dropped_total", "Alerts dropped because a webhook queue was full or the dispatcher stopped.", () => dispatcher.Dropped);
        Registry.CreateGauge("pvmonitor_webhook_queue_depth", "Alerts waiting for webhooks.", () => dispatcher.QueueDepth);
    }
}
