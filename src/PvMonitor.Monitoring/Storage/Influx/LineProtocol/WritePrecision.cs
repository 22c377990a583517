namespace PvMonitor.Monitoring.Storage.Influx.LineProtocol;

/// <summary>The unit of a line-protocol timestamp (the <c>precision</c> query parameter of a write).</summary>
public enum WritePrecision
{
    /// <summary>Nanoseconds since the Unix epoch (1.x <c>precision=ns</c>, 2.x <c>precision=ns</c>).</summary>
    Nanoseconds = 0,

    /// <summary>Microseconds since the Unix epoch (1.x <c>precision=u</c>, 2.x <c>precision=us</c>).</summary>
    Microseconds = 1,

    /// <summary>Milliseconds since the Unix epoch (<c>precision=ms</c>).</summary>
    Milliseconds = 2,

    /// <summary>Seconds since the Unix epoch (<c>precision=s</c>).</summary>
    Seconds = 3,
}
