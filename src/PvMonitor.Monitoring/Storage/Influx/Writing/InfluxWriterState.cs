namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>Where the writer stands with the server.</summary>
public enum InfluxWriterState
{
    /// <summary>Writes reach the server.</summary>
    Online = 0,

    /// <summary>The server is away (or the backlog is still replaying): batches go to the disk spool and are durable there.</summary>
    Spooling = 1,

    /// <summary>The server is away and the spool has reached its bound: new writes wait (back-pressure), nothing is dropped.</summary>
    SpoolFull = 2,

    /// <summary>The server is away and no spool is configured: batches wait in memory and new writes wait (back-pressure).</summary>
    Waiting = 3,

    /// <summary>The writer was disposed.</summary>
    Stopped = 4,
}
