using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Scoring;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Pipeline;

/// <summary>One micro-batch travelling parse → score → store. Pooled: a fixed number exist, so memory is bounded.</summary>
internal sealed class PipelineBatch
{
    public PipelineBatch(int capacity, ScoredBatch scoring)
    {
        Keys = new StringKey[capacity];
        Samples = new TelemetrySample[capacity];
        Night = new bool[capacity];
        Scoring = scoring;
    }

    /// <summary>Valid samples in arrival order.</summary>
    public StringKey[] Keys { get; }

    public TelemetrySample[] Samples { get; }

    public bool[] Night { get; }

    public int Count { get; set; }

    /// <summary>The scorer's output for this batch (its buffers are reused with the batch).</summary>
    public ScoredBatch Scoring { get; set; }

    /// <summary>Every message of the batch (valid, duplicate or dead letter), in arrival order, to acknowledge after the write.</summary>
    public List<IMessageAck> Deliveries { get; } = [];

    /// <summary>What the store receives.</summary>
    public ResultBatch Results { get; } = new();

    /// <summary>Messages taken from the input for this batch.</summary>
    public int Messages { get; set; }

    /// <summary>True for the final batch that carries only flushed alerts.</summary>
    public bool IsEmpty => Messages == 0 && Results.IsEmpty;

    public void Reset()
    {
        Count = 0;
        Messages = 0;
        Deliveries.Clear();
        Results.Clear();
    }
}
