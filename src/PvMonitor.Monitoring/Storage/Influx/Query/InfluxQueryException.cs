namespace PvMonitor.Monitoring.Storage.Influx.Query;

/// <summary>The server answered an InfluxQL query with an error (the message is the server's).</summary>
public sealed class InfluxQueryException(string message, int httpStatus) : Exception(message)
{
    /// <summary>The HTTP status of the response (200 when the error was inside a successful response).</summary>
    public int HttpStatus { get; } = httpStatus;
}
