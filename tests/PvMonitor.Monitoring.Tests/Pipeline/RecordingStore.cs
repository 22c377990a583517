using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Tests.Pipeline;

/// <summary>An in-memory <see cref="IResultStore"/> keyed like the real ones (overwrite per key); can fail its first writes.</summary>
internal sealed class RecordingStore : IResultStore
{
    private readonly object _gate = new();
    private int _failuresLeft;

    public RecordingStore(int failFirstWrites = 0) => _failuresLeft = failFirstWrites;

    public Dictionary<(string, string, string, DateTimeOffset), TelemetryRecord> Telemetry { get; } = [];

    public Dictionary<(string, string, string, DateTimeOffset), ConditionRecord> Conditions { get; } = [];

    public List<AlertEvent> Alerts { get; } = [];

    public List<DeadLetterRecord> DeadLetters { get; } = [];

    public int Writes { get; private set; }

    public int FailedWrites { get; private set; }

    public ValueTask WriteAsync(ResultBatch batch, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                FailedWrites++;
                throw new StoreWriteException("simulated store failure");
            }

            Writes++;
            foreach (var t in batch.Telemetry) Telemetry[(t.Key.Plant, t.Key.Inverter, t.Key.String, t.Sample.Time)] = t;
            foreach (var c in batch.Conditions)
            {
                // Copy the memory: the batch is reused after the write.
                Conditions[(c.Key.Plant, c.Key.Inverter, c.Key.String, c.Time)] = c with { Probabilities = c.Probabilities.ToArray(), ReconstructionZ = c.ReconstructionZ.ToArray() };
            }

            Alerts.AddRange(batch.Alerts);
            foreach (var d in batch.DeadLetters) DeadLetters.Add(d with { Payload = d.Payload.ToArray() });
        }

        return ValueTask.CompletedTask;
    }

    public T Read<T>(Func<RecordingStore, T> read)
    {
        lock (_gate) return read(this);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
