namespace PvMonitor.Monitoring.Metrics;

/// <summary>The pipeline queues whose depth <see cref="MonitoringMetrics"/> reports (tag <c>queue</c>).</summary>
public enum PipelineQueue
{
    /// <summary>Messages between the telemetry source and the parse stage (<c>queue="input"</c>).</summary>
    Input,

    /// <summary>Micro-batches waiting for the model (<c>queue="score"</c>).</summary>
    Score,

    /// <summary>Micro-batches waiting for the store (<c>queue="store"</c>).</summary>
    Store,
}
