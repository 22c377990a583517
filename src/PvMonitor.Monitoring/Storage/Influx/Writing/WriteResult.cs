namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>The outcome of one write request: status, HTTP code (0 when none came back), the server's message, and its Retry-After.</summary>
public readonly record struct WriteResult(WriteStatus Status, int HttpStatus, string? Message, TimeSpan? RetryAfter)
{
    /// <summary>A successful write.</summary>
    public static WriteResult Written { get; } = new(WriteStatus.Written, 204, null, null);

    /// <summary>True when the lines are stored.</summary>
    public bool IsWritten => Status == WriteStatus.Written;

    /// <inheritdoc />
    public override string ToString() =>
        HttpStatus == 0 ? $"{Status}: {Message}" : $"{Status} (HTTP {HttpStatus}): {Message}";
}
