namespace PvMonitor.Monitoring.Metrics;

/// <summary>Prometheus metric types supported by <see cref="MetricsRegistry"/>.</summary>
public enum MetricType
{
    /// <summary><c>counter</c>.</summary>
    Counter,

    /// <summary><c>gauge</c>.</summary>
    Gauge,

    /// <summary><c>histogram</c>.</summary>
    Histogram,
}
