using System.Diagnostics.Metrics;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Metrics;

namespace PvMonitor.Monitoring.Tests.Metrics;

public class MonitoringMetricsTests
{
    /// <summary>What one collection of <paramref name="metrics"/>' own meter reports: instrument → (tags → value), histograms as value counts.</summary>
    private static Dictionary<string, Dictionary<string, double>> Collect(MonitoringMetrics metrics, Action? record = null)
    {
        var seen = new Dictionary<string, Dictionary<string, double>>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter)) l.EnableMeasurementEvents(instrument);
        };
        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = seen.TryGetValue(instrument.Name, out var s) ? s : seen[instrument.Name] = [];
            var key = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            series[key] = instrument is Histogram<double> or Histogram<int> ? series.GetValueOrDefault(key) + 1 : value;
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        listener.Start();
        record?.Invoke();
        listener.RecordObservableInstruments();
        return seen;
    }

    [Fact]
    public void Every_dead_letter_reason_and_alert_kind_is_reported_from_the_start()
    {
        using var metrics = new MonitoringMetrics();
        metrics.DeadLettered(DeadLetterReason.OutOfRange);

        var seen = Collect(metrics);

        seen["pvmonitor.dead_letters"].Should().HaveCount(DeadLetterReasonExtensions.All.Count);
        foreach (var reason in DeadLetterReasonExtensions.All)
            seen["pvmonitor.dead_letters"][$"reason={reason.ToLabel()}"].Should().Be(reason == DeadLetterReason.OutOfRange ? 1 : 0);
        foreach (var kind in Enum.GetValues<AlertKind>())
            seen["pvmonitor.alerts"][$"kind={kind.ToWireName()}"].Should().Be(0);
        seen["pvmonitor.queue.depth"].Keys.Should().BeEquivalentTo("queue=input", "queue=score", "queue=store");
        seen["pvmonitor.spool.bytes"][""].Should().Be(0, "no spool is observed yet");
        FluentActions.Invoking(() => metrics.DeadLettered(DeadLetterReason.None)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Counts_recorded_in_parallel_are_not_lost_and_are_read_back_by_the_instruments()
    {
        using var metrics = new MonitoringMetrics();

        Parallel.For(0, 20_000, k =>
        {
            metrics.MessageReceived();
            metrics.Scored(2);
            if (k % 4 == 0) metrics.Night(1);
            metrics.Stored(3);
            metrics.AlertEmitted(k % 2 == 0 ? AlertKind.AnomalyOpened : AlertKind.FaultEntered);
        });
        metrics.SetQueueDepth(PipelineQueue.Score, 7);
        metrics.ObserveSpool(() => 1_500_000_000);
        var seen = Collect(metrics);

        metrics.MessagesReceived.Should().Be(20_000);
        seen["pvmonitor.messages.received"][""].Should().Be(metrics.MessagesReceived);
        seen["pvmonitor.samples.scored"][""].Should().Be(40_000);
        seen["pvmonitor.samples.night"][""].Should().Be(5_000);
        seen["pvmonitor.samples.stored"][""].Should().Be(60_000);
        seen["pvmonitor.alerts"]["kind=anomaly_opened"].Should().Be(10_000);
        seen["pvmonitor.alerts"]["kind=fault_entered"].Should().Be(metrics.Alerts(AlertKind.FaultEntered));
        seen["pvmonitor.queue.depth"]["queue=score"].Should().Be(7);
        seen["pvmonitor.spool.bytes"][""].Should().Be(1.5e9);
    }

    [Fact]
    public void Histograms_carry_the_documented_units_and_bucket_bounds_as_advice()
    {
        using var metrics = new MonitoringMetrics();

        var seen = Collect(metrics, () =>
        {
            metrics.ScoringLatency.Record(0.004);
            metrics.BatchSize.Record(512);
            metrics.BatchSize.Record(3);
        });

        metrics.ScoringLatency.Unit.Should().Be("s");
        metrics.StoreLatency.Unit.Should().Be("s");
        metrics.SampleAgeAtStore.Unit.Should().Be("s");
        metrics.ScoringLatency.Advice!.HistogramBucketBoundaries.Should().Equal(MonitoringMetrics.LatencyBuckets);
        metrics.BatchSize.Advice!.HistogramBucketBoundaries.Should().Equal(MonitoringMetrics.BatchSizeBuckets);
        seen["pvmonitor.scoring.latency"][""].Should().Be(1);
        seen["pvmonitor.batch.size"][""].Should().Be(2);
    }

    [Fact]
    public async Task Webhook_counts_are_read_at_collection_and_can_be_observed_only_once()
    {
        using var metrics = new MonitoringMetrics();
        using var http = new HttpClient();
        await using var dispatcher = new WebhookDispatcher(new AlertsOptions(), http);
        metrics.ObserveWebhooks(dispatcher);

        var seen = Collect(metrics);

        seen.Keys.Should().Contain(["pvmonitor.webhook.delivered", "pvmonitor.webhook.failures", "pvmonitor.webhook.given_up", "pvmonitor.webhook.dropped", "pvmonitor.webhook.queue_depth"]);
        seen["pvmonitor.webhook.failures"][""].Should().Be(dispatcher.FailedAttempts);
        FluentActions.Invoking(() => metrics.ObserveWebhooks(dispatcher)).Should().Throw<InvalidOperationException>();
    }
}
