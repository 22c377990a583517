using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Ingest;

/// <summary>
/// Outcome of <see cref="TelemetryPayloadParser"/>: either a valid sample (<see cref="IsValid"/>) with its string key and
/// night flag, or a dead-letter <see cref="Reason"/> with a message naming the offending field. Valid results allocate nothing.
/// </summary>
public readonly struct TelemetryParseResult
{
    private TelemetryParseResult(StringKey key, TelemetrySample sample, bool isNight, DeadLetterReason reason, string? field, string? message)
    {
        Key = key;
        Sample = sample;
        IsNight = isNight;
        Reason = reason;
        Field = field;
        Message = message;
    }

    /// <summary>True when the message is a valid sample.</summary>
    public bool IsValid => Reason == DeadLetterReason.None;

    /// <summary>The string the topic names (default when the topic did not match).</summary>
    public StringKey Key { get; }

    /// <summary>The parsed sample (meaningful only when <see cref="IsValid"/>).</summary>
    public TelemetrySample Sample { get; }

    /// <summary>True when the sample's irradiance is below the night threshold: store it, do not score it (state <c>night</c>).</summary>
    public bool IsNight { get; }

    /// <summary>Why the message is a dead letter, or <see cref="DeadLetterReason.None"/>.</summary>
    public DeadLetterReason Reason { get; }

    /// <summary>The payload field (as named in the payload) the problem is about, or null (topic, JSON syntax, duplicates).</summary>
    public string? Field { get; }

    /// <summary>A human-readable explanation naming the field, or null when valid.</summary>
    public string? Message { get; }

    /// <summary>A valid result.</summary>
    public static TelemetryParseResult Valid(StringKey key, in TelemetrySample sample, bool isNight) =>
        new(key, sample, isNight, DeadLetterReason.None, null, null);

    /// <summary>A rejected result.</summary>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is <see cref="DeadLetterReason.None"/>.</exception>
    public static TelemetryParseResult Rejected(StringKey key, DeadLetterReason reason, string? field, string message)
    {
        if (reason == DeadLetterReason.None) throw new ArgumentException("A rejected result needs a reason other than None.", nameof(reason));
        return new(key, default, false, reason, field, message);
    }

    /// <inheritdoc />
    public override string ToString() => IsValid ? $"valid {Key} {Sample}" : $"{Reason.ToLabel()}: {Message}";
}
