namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>The writer's running counts (points unless named otherwise); updated with Interlocked, read for status.</summary>
internal sealed class WriterCounters
{
    public long Accepted;
    public long Written;
    public long Spooled;
    public long Replayed;
    public long DeadLettered;
    public long InMemory;
    public long FailedRequests;
}
