namespace PvMonitor.Monitoring.Metrics;

/// <summary>What the exposition writer needs from a metric family.</summary>
public interface IMetricFamily
{
    /// <summary>Metric name, e.g. <c>pvmonitor_messages_received_total</c>.</summary>
    string Name { get; }

    /// <summary>Help text (one line).</summary>
    string Help { get; }

    /// <summary>The metric type.</summary>
    MetricType Type { get; }

    /// <summary>Label names, in order.</summary>
    IReadOnlyList<string> LabelNames { get; }

    /// <summary>The time series (label values + <see cref="Counter"/>/<see cref="Gauge"/>/<see cref="Histogram"/>), sorted by label values (ordinal).</summary>
    IReadOnlyList<(IReadOnlyList<string> LabelValues, object Series)> Snapshot();
}
