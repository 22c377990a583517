namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>A line the server refused as bad data, with the server's message; it is set aside instead of being retried forever.</summary>
/// <param name="Line">The line-protocol line, without its trailing newline.</param>
/// <param name="Reason">The server's error message (e.g. <c>unable to parse '…': invalid field format</c>).</param>
/// <param name="HttpStatus">The HTTP status that rejected it (400, or 413 for a single line too large to ever fit).</param>
/// <param name="Time">When it was dead-lettered (writer clock).</param>
public sealed record DeadLetter(string Line, string Reason, int HttpStatus, DateTimeOffset Time);
