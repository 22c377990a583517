using PvMonitor.Monitoring.Metrics;

namespace PvMonitor.Monitoring.Tests.Metrics;

public class PrometheusTextWriterTests
{
    [Fact]
    public void Output_matches_the_golden_text()
    {
        var registry = new MetricsRegistry();
        var latency = registry.CreateHistogram("pvmonitor_scoring_latency_seconds", "Time to score one micro-batch, seconds.", [0.005, 0.01, 0.5]);
        var dead = registry.CreateCounterFamily("pvmonitor_dead_letters_total", "Messages rejected,\nby reason \\ cause.", "reason");
        var depth = registry.CreateGaugeFamily("pvmonitor_queue_depth", "Items waiting.", "queue", "stage");
        var received = registry.CreateCounter("pvmonitor_messages_received_total", "MQTT telemetry messages received.");
        registry.CreateGauge("pvmonitor_spool_bytes", "Bytes in the spool.", () => 1.5e9);
        registry.CreateCounterFamily("pvmonitor_unused_total", "Never touched.", "x");

        received.Inc();
        received.Inc(2);
        dead.WithLabels("wrong_type").Inc();
        dead.WithLabels("malformed_json").Inc(3);
        dead.WithLabels("a \"quoted\"\nvalue\\").Inc();
        depth.WithLabels("score", "b").Set(7);
        depth.WithLabels("ingest", "a").Set(-2.25);
        latency.Observe(0.001);
        latency.Observe(0.005);
        latency.Observe(0.2);
        latency.Observe(3);

        var text = PrometheusTextWriter.WriteToString(registry);

        text.Should().Be(
            "# HELP pvmonitor_dead_letters_total Messages rejected,\\nby reason \\\\ cause.\n" +
            "# TYPE pvmonitor_dead_letters_total counter\n" +
            "pvmonitor_dead_letters_total{reason=\"a \\\"quoted\\\"\\nvalue\\\\\"} 1\n" +
            "pvmonitor_dead_letters_total{reason=\"malformed_json\"} 3\n" +
            "pvmonitor_dead_letters_total{reason=\"wrong_type\"} 1\n" +
            "# HELP pvmonitor_messages_received_total MQTT telemetry messages received.\n" +
            "# TYPE pvmonitor_messages_received_total counter\n" +
            "pvmonitor_messages_received_total 3\n" +
            "# HELP pvmonitor_queue_depth Items waiting.\n" +
            "# TYPE pvmonitor_queue_depth gauge\n" +
            "pvmonitor_queue_depth{queue=\"ingest\",stage=\"a\"} -2.25\n" +
            "pvmonitor_queue_depth{queue=\"score\",stage=\"b\"} 7\n" +
            "# HELP pvmonitor_scoring_latency_seconds Time to score one micro-batch, seconds.\n" +
            "# TYPE pvmonitor_scoring_latency_seconds histogram\n" +
            "pvmonitor_scoring_latency_seconds_bucket{le=\"0.005\"} 2\n" +
            "pvmonitor_scoring_latency_seconds_bucket{le=\"0.01\"} 2\n" +
            "pvmonitor_scoring_latency_seconds_bucket{le=\"0.5\"} 3\n" +
            "pvmonitor_scoring_latency_seconds_bucket{le=\"+Inf\"} 4\n" +
            "pvmonitor_scoring_latency_seconds_sum 3.206\n" +
            "pvmonitor_scoring_latency_seconds_count 4\n" +
            "# HELP pvmonitor_spool_bytes Bytes in the spool.\n" +
            "# TYPE pvmonitor_spool_bytes gauge\n" +
            "pvmonitor_spool_bytes 1500000000\n");
    }

    [Fact]
    public void Labelled_histograms_put_le_last()
    {
        var registry = new MetricsRegistry();
        var h = registry.CreateHistogramFamily("batch", "Batch sizes.", [1, 10], "stage");
        h.WithLabels("store").Observe(10);

        PrometheusTextWriter.WriteToString(registry).Should().Be(
            "# HELP batch Batch sizes.\n# TYPE batch histogram\n" +
            "batch_bucket{stage=\"store\",le=\"1\"} 0\n" +
            "batch_bucket{stage=\"store\",le=\"10\"} 1\n" +
            "batch_bucket{stage=\"store\",le=\"+Inf\"} 1\n" +
            "batch_sum{stage=\"store\"} 10\n" +
            "batch_count{stage=\"store\"} 1\n");
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(-0.0, "-0")]
    [InlineData(123456789012.0, "123456789012")]
    public void Numbers_use_prometheus_spellings(double value, string text) =>
        PrometheusTextWriter.FormatNumber(value).Should().Be(text);

    [Fact]
    public void Content_type_is_the_0_0_4_text_format() =>
        PrometheusTextWriter.ContentType.Should().Be("text/plain; version=0.0.4; charset=utf-8");
}
