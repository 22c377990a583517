namespace PvMonitor.Monitoring.Pipeline;

/// <summary>Settings of the monitoring pipeline's stages and queues. Section <c>Pipeline</c>.</summary>
public sealed class PipelineOptions : PvMonitor.Monitoring.Configuration.ISectionOptions
{
    /// <summary>The configuration section: <c>Pipeline</c>.</summary>
    public static string SectionName => "Pipeline";

    /// <summary>Largest scoring micro-batch, samples. Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Longest a micro-batch waits for more samples after its first one, milliseconds. Default 20.</summary>
    public int MaxBatchDelayMs { get; set; } = 20;

    /// <summary>Messages buffered between the MQTT client and the parse stage. Default 4096. When full the receive loop waits (back-pressure to the socket).</summary>
    public int InputQueueCapacity { get; set; } = 4096;

    /// <summary>Micro-batches in flight between parse, score and store (a fixed pool). Default 64. Bounds the pipeline's memory.</summary>
    public int BatchesInFlight { get; set; } = 64;

    /// <summary>
    /// Store writes in flight at once, batches. Default 48. A store that accepts a batch and makes it durable later (InfluxDB)
    /// overlaps writes; acknowledgements still go out in batch order. With InfluxDB, batches waiting here fill the next write
    /// request while the current one is out, so this times the micro-batch size should reach about two requests' worth of
    /// messages (a message is two points) for full-size requests under load.
    /// </summary>
    public int MaxConcurrentWrites { get; set; } = 48;

    /// <summary>How long graceful shutdown waits for in-flight batches to be stored, seconds. Default 30.</summary>
    public int ShutdownDrainSeconds { get; set; } = 30;

    /// <summary>First delay before retrying a failed store write, milliseconds (doubles up to 5 s). Default 200.</summary>
    public int StoreRetryDelayMs { get; set; } = 200;

    /// <summary>Wall-clock idle time after which pending alert groups are released (the alert engine's clock is sample time), milliseconds. Default 2000.</summary>
    public int AlertIdleFlushMs { get; set; } = 2000;

    /// <summary>Returns one message per invalid setting, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxBatchSize is < 1 or > 65_536) errors.Add($"{SectionName}:MaxBatchSize must be 1–65536 (got {MaxBatchSize}).");
        if (MaxBatchDelayMs is < 0 or > 60_000) errors.Add($"{SectionName}:MaxBatchDelayMs must be 0–60000 (got {MaxBatchDelayMs}).");
        if (InputQueueCapacity < 1) errors.Add($"{SectionName}:InputQueueCapacity must be ≥ 1 (got {InputQueueCapacity}).");
        if (BatchesInFlight is < 2 or > 1024) errors.Add($"{SectionName}:BatchesInFlight must be 2–1024 (got {BatchesInFlight}).");
        if (MaxConcurrentWrites < 1 || MaxConcurrentWrites >= BatchesInFlight) errors.Add($"{SectionName}:MaxConcurrentWrites must be 1 to {SectionName}:BatchesInFlight − 1 (got {MaxConcurrentWrites}).");
        if (ShutdownDrainSeconds < 0) errors.Add($"{SectionName}:ShutdownDrainSeconds must be ≥ 0 (got {ShutdownDrainSeconds}).");
        if (StoreRetryDelayMs < 1) errors.Add($"{SectionName}:StoreRetryDelayMs must be ≥ 1 (got {StoreRetryDelayMs}).");
        if (AlertIdleFlushMs < 1) errors.Add($"{SectionName}:AlertIdleFlushMs must be ≥ 1 (got {AlertIdleFlushMs}).");
        return errors;
    }
}
