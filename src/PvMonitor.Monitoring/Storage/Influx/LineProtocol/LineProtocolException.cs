namespace PvMonitor.Monitoring.Storage.Influx.LineProtocol;

/// <summary>
/// A value that line protocol cannot carry: a NaN or infinite float field, an empty name, a line break in a
/// name or tag value, a backslash that would swallow a delimiter, or a point without fields.
/// The message names the measurement, tag or field concerned.
/// </summary>
public sealed class LineProtocolException : ArgumentException
{
    public LineProtocolException(string message, string? paramName = null)
        : base(message, paramName)
    {
    }
}
