namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>What the server made of one write request.</summary>
public enum WriteStatus
{
    /// <summary>Stored (HTTP 204 or 200).</summary>
    Written = 0,

    /// <summary>The data was refused as bad (HTTP 400, or 422 from 2.x for points outside retention): retrying the same lines can never succeed.</summary>
    Rejected = 1,

    /// <summary>The body was too large (HTTP 413): send fewer lines at a time.</summary>
    TooLarge = 2,

    /// <summary>Not stored, worth retrying soon: HTTP 429, 5xx, timeouts and connection failures.</summary>
    Retryable = 3,

    /// <summary>Not stored and not worth retrying at once (401, 403, 404 and other codes): keep the data and try later.</summary>
    Failed = 4,
}
