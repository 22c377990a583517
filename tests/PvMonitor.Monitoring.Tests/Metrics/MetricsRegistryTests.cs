using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Metrics;

namespace PvMonitor.Monitoring.Tests.Metrics;

public class MetricsRegistryTests
{
    [Fact]
    public void Parallel_updates_are_not_lost()
    {
        var registry = new MetricsRegistry();
        var counter = registry.CreateCounter("c_total", "c");
        var gauge = registry.CreateGauge("g", "g");
        var histogram = registry.CreateHistogram("h", "h", [0.5]);
        var family = registry.CreateCounterFamily("f_total", "f", "k");

        Parallel.For(0, 20_000, k =>
        {
            counter.Inc();
            gauge.Inc(k % 2 == 0 ? 1 : -0.5);
            histogram.Observe(k % 4 == 0 ? 0.25 : 1);
            family.WithLabels("v" + (k % 3)).Inc();
        });

        counter.Value.Should().Be(20_000);
        gauge.Value.Should().Be(5_000);
        histogram.Count.Should().Be(20_000);
        histogram.CumulativeCounts().Should().Equal(5_000, 20_000);
        histogram.Sum.Should().Be(5_000 * 0.25 + 15_000);
        family.Snapshot().Select(s => ((Counter)s.Series).Value).Sum().Should().Be(20_000);
    }

    [Fact]
    public void Histogram_bounds_are_inclusive_and_nan_is_ignored()
    {
        var h = new MetricsRegistry().CreateHistogram("h", "h", [1, 2]);
        h.Observe(1);
        h.Observe(1.0000001);
        h.Observe(2);
        h.Observe(double.NaN);
        h.Observe(double.PositiveInfinity);
        h.CumulativeCounts().Should().Equal(1, 3, 4);
    }

    [Fact]
    public void Invalid_definitions_are_rejected_with_the_name()
    {
        var registry = new MetricsRegistry();
        registry.CreateCounter("dup_total", "x");

        FluentActions.Invoking(() => registry.CreateCounter("dup_total", "x")).Should().Throw<ArgumentException>().WithMessage("*'dup_total' is already registered*");
        FluentActions.Invoking(() => registry.CreateGauge("9bad", "x")).Should().Throw<ArgumentException>().WithMessage("*'9bad'*");
        FluentActions.Invoking(() => registry.CreateGaugeFamily("g", "x", "__reserved")).Should().Throw<ArgumentException>().WithMessage("*'__reserved'*");
        FluentActions.Invoking(() => registry.CreateCounterFamily("c", "x", "a", "a")).Should().Throw<ArgumentException>().WithMessage("*'a' is given twice*");
        FluentActions.Invoking(() => registry.CreateHistogramFamily("h1", "x", [1], "le")).Should().Throw<ArgumentException>().WithMessage("*'le' is reserved*");
        FluentActions.Invoking(() => registry.CreateHistogram("h2", "x", [2, 1])).Should().Throw<ArgumentException>().WithMessage("*strictly increasing*");
        FluentActions.Invoking(() => registry.CreateHistogram("h3", "x", [double.PositiveInfinity])).Should().Throw<ArgumentException>().WithMessage("*finite*");
        FluentActions.Invoking(() => registry.CreateCounter("neg_total", "x").Inc(-1)).Should().Throw<ArgumentOutOfRangeException>();
        var family = registry.CreateCounterFamily("two_total", "x", "a", "b");
        FluentActions.Invoking(() => family.WithLabels("only")).Should().Throw<ArgumentException>().WithMessage("*'two_total' has 2 labels*");
        FluentActions.Invoking(() => registry.CreateGauge("cb", "x", () => 1).Set(2)).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Worker_metrics_expose_every_reason_and_kind_from_the_start()
    {
        var metrics = new MonitoringMetrics(new MetricsRegistry());
        metrics.DeadLettered(DeadLetterReason.OutOfRange).Inc();
        metrics.DeadLettered(DeadLetterReason.OutOfRange).Should().BeSameAs(metrics.DeadLetters.WithLabels("out_of_range"));

        var text = PrometheusTextWriter.WriteToString(metrics.Registry);

        foreach (var reason in DeadLetterReasonExtensions.All)
            text.Should().Contain($"pvmonitor_dead_letters_total{{reason=\"{reason.ToLabel()}\"}} {(reason == DeadLetterReason.OutOfRange ? 1 : 0)}\n");
        foreach (var kind in Enum.GetValues<AlertKind>())
            text.Should().Contain($"pvmonitor_alerts_total{{kind=\"{kind.ToWireName()}\"}} 0\n");
        text.Should().Contain("# TYPE pvmonitor_scoring_latency_seconds histogram\n");
        text.Should().Contain("pvmonitor_batch_size_bucket{le=\"512\"} 0\n");
        FluentActions.Invoking(() => metrics.DeadLettered(DeadLetterReason.None)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Webhook_counts_are_read_at_scrape_time()
    {
        var metrics = new MonitoringMetrics(new MetricsRegistry());
        using var http = new HttpClient();
        await using var dispatcher = new WebhookDispatcher(new AlertsOptions(), http);
        metrics.ObserveWebhooks(dispatcher);

        var text = PrometheusTextWriter.WriteToString(metrics.Registry);

        text.Should().Contain("pvmonitor_webhook_failures_total 0\n").And.Contain("pvmonitor_webhook_dropped_total 0\n")
            .And.Contain("pvmonitor_webhook_queue_depth 0\n").And.Contain("# TYPE pvmonitor_webhook_delivered_total counter\n");
    }
}
