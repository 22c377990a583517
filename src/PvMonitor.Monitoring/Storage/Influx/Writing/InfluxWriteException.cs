namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>Points that could not be made durable: the writer shut down while the server was away and the spool could not take them.</summary>
public sealed class InfluxWriteException : Exception
{
    public InfluxWriteException(string message)
        : base(message)
    {
    }

    public InfluxWriteException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
