namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>The last few dead letters, for status pages.</summary>
internal sealed class DeadLetterLog(int capacity)
{
    private readonly Queue<DeadLetter> _letters = new();

    public void Add(DeadLetter letter)
    {
        lock (_letters)
        {
            _letters.Enqueue(letter);
            while (_letters.Count > capacity)
                _letters.Dequeue();
        }
    }

    public IReadOnlyList<DeadLetter> Snapshot()
    {
        lock (_letters)
            return _letters.ToArray();
    }
}
