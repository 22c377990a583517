namespace PvMonitor.Monitoring.Ingest;

/// <summary>Why a message was rejected and dead-lettered (stored in <c>pv_deadletter</c> with its raw payload and counted).</summary>
/// <remarks>The metric label / stored reason is the snake_case name from <see cref="DeadLetterReasonExtensions.ToLabel"/>.</remarks>
public enum DeadLetterReason
{
    /// <summary>Not a dead letter (the message is valid).</summary>
    None = 0,

    /// <summary>The topic does not match the configured topic pattern (or a topic level is empty).</summary>
    TopicMismatch,

    /// <summary>The payload is larger than <see cref="IngestOptions.MaxPayloadBytes"/>.</summary>
    PayloadTooLarge,

    /// <summary>The payload is not one well-formed JSON object (syntax error, trailing data, not an object).</summary>
    MalformedJson,

    /// <summary>A required field (the timestamp or one of the six sensors) is absent.</summary>
    MissingField,

    /// <summary>A field the mapping does not know is present (and <see cref="IngestOptions.AllowUnknownFields"/> is false).</summary>
    UnknownField,

    /// <summary>The same field appears twice in one object.</summary>
    DuplicateField,

    /// <summary>A field has the wrong JSON type (e.g. a sensor given as text, an object or null).</summary>
    WrongType,

    /// <summary>A sensor value is NaN or ±Infinity (written as the strings "NaN"/"Infinity" or a number too large for a double).</summary>
    NotFinite,

    /// <summary>A sensor value is physically impossible (outside the configured <see cref="SensorLimits"/>).</summary>
    OutOfRange,

    /// <summary>The timestamp cannot be read (bad ISO-8601 text or epoch milliseconds outside years 1–9999).</summary>
    InvalidTimestamp,

    /// <summary>The timestamp is further in the future than <see cref="IngestOptions.MaxFutureSkew"/>.</summary>
    TimestampInFuture,

    /// <summary>The timestamp is older than <see cref="IngestOptions.MaxAge"/>.</summary>
    TimestampTooOld,

    /// <summary>A sample for the same string and timestamp was already stored by this process (see <see cref="DuplicateFilter"/>).</summary>
    Duplicate,

    /// <summary>A later stage (scoring, storing) failed on this message; the message text says which and why.</summary>
    ProcessingFailed,
}
