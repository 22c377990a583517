namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>Receives dead-lettered lines. One method that may throw: the writer logs and counts a failure and goes on.</summary>
public interface IDeadLetterSink
{
    /// <summary>Keeps <paramref name="letter"/> somewhere a person can find it.</summary>
    void Write(DeadLetter letter);
}
