namespace PvMonitor.Monitoring.Ingest;

/// <summary>Stable wire names of <see cref="DeadLetterReason"/> (metric label <c>reason</c>, <c>pv_deadletter.reason</c>).</summary>
public static class DeadLetterReasonExtensions
{
    /// <summary>All reasons that are real dead letters (everything but <see cref="DeadLetterReason.None"/>), in declaration order.</summary>
    public static IReadOnlyList<DeadLetterReason> All { get; } =
    [
        DeadLetterReason.TopicMismatch, DeadLetterReason.PayloadTooLarge, DeadLetterReason.MalformedJson,
        DeadLetterReason.MissingField, DeadLetterReason.UnknownField, DeadLetterReason.DuplicateField,
        DeadLetterReason.WrongType, DeadLetterReason.NotFinite, DeadLetterReason.OutOfRange,
        DeadLetterReason.InvalidTimestamp, DeadLetterReason.TimestampInFuture, DeadLetterReason.TimestampTooOld,
        DeadLetterReason.Duplicate, DeadLetterReason.ProcessingFailed,
    ];

    /// <summary>The snake_case name, e.g. <c>malformed_json</c>; never allocates.</summary>
    public static string ToLabel(this DeadLetterReason reason) => reason switch
    {
        DeadLetterReason.None => "none",
        DeadLetterReason.TopicMismatch => "topic_mismatch",
        DeadLetterReason.PayloadTooLarge => "payload_too_large",
        DeadLetterReason.MalformedJson => "malformed_json",
        DeadLetterReason.MissingField => "missing_field",
        DeadLetterReason.UnknownField => "unknown_field",
        DeadLetterReason.DuplicateField => "duplicate_field",
        DeadLetterReason.WrongType => "wrong_type",
        DeadLetterReason.NotFinite => "not_finite",
        DeadLetterReason.OutOfRange => "out_of_range",
        DeadLetterReason.InvalidTimestamp => "invalid_timestamp",
        DeadLetterReason.TimestampInFuture => "timestamp_in_future",
        DeadLetterReason.TimestampTooOld => "timestamp_too_old",
        DeadLetterReason.Duplicate => "duplicate",
        DeadLetterReason.ProcessingFailed => "processing_failed",
        _ => "unknown",
    };
}
