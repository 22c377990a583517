namespace PvMonitor.Monitoring.Operations;

/// <summary>Why an operations write was refused.</summary>
public enum RejectionKind
{
    /// <summary>A field is missing or invalid (HTTP 400).</summary>
    Invalid,

    /// <summary>It contradicts what is stored: an overlapping label, a duplicate code (HTTP 409).</summary>
    Conflict,

    /// <summary>What it refers to does not exist (HTTP 404).</summary>
    NotFound,
}

/// <summary>A write refused with a message naming <see cref="Field"/> (and, for a conflict, what it conflicts with).</summary>
public sealed class OperationRejectedException(RejectionKind kind, string field, string message) : Exception(message)
{
    /// <summary>Why.</summary>
    public RejectionKind Kind { get; } = kind;

    /// <summary>The offending field, e.g. <c>from</c>, <c>condition</c>.</summary>
    public string Field { get; } = field;
}
