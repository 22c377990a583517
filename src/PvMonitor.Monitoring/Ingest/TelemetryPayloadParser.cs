using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Ingest;

/// <summary>
/// Turns one MQTT message (topic + UTF-8 JSON payload) into a <see cref="StringKey"/> and a validated
/// <see cref="TelemetrySample"/>, or a dead-letter reason. Pure: no I/O; the only clock is the injected
/// <see cref="TimeProvider"/> (for the future/too-old checks). Uses <see cref="Utf8JsonReader"/> directly; a valid message
/// of a topic seen before allocates nothing. Thread-safe.
/// </summary>
/// <remarks>
/// When a payload has several problems the first one wins in this order: size, JSON syntax (anywhere in the payload),
/// the first field-level problem in document order (unknown, duplicate, wrong type, not finite, unreadable timestamp),
/// missing fields (in the order time, I, V, G, TExt, TMod, W), physical ranges (same order), then timestamp window.
/// </remarks>
public sealed class TelemetryPayloadParser
{
    private const int TimeSlot = 0;
    private const int SlotCount = 7;
    private const int AllSlots = (1 << SlotCount) - 1;
    private static readonly long MinEpochMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxEpochMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[][] _utf8Names;
    private readonly string[] _names;
    private readonly double[] _min;
    private readonly double[] _max;
    private readonly NightClassifier _night;

    /// <summary>Creates a parser.</summary>
    /// <param name="options">Validated options (see <see cref="IngestOptions.Validate"/>).</param>
    /// <param name="timeProvider">Clock for the timestamp window; default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names the keys.</exception>
    public TelemetryPayloadParser(IngestOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        Topic = TopicPattern.Parse(options.TopicPattern);
        _names = options.Fields.InSlotOrder();
        _utf8Names = new byte[SlotCount][];
        for (var k = 0; k < SlotCount; k++) _utf8Names[k] = Encoding.UTF8.GetBytes(_names[k]);
        var l = options.Limits;
        _min = [0, l.IMin, l.VMin, l.GMin, l.TExtMin, l.TModMin, l.WMin];
        _max = [0, l.IMax, l.VMax, l.GMax, l.TExtMax, l.TModMax, l.WMax];
        _night = new NightClassifier(options.NightIrradianceThreshold);
    }

    /// <summary>The topic pattern in use.</summary>
    public TopicPattern Topic { get; }

    /// <summary>The night classifier in use (threshold <see cref="IngestOptions.NightIrradianceThreshold"/>, W/m²).</summary>
    public NightClassifier Night => _night;

    /// <summary>Parses and validates a message.</summary>
    public TelemetryParseResult Parse(string topic, ReadOnlyMemory<byte> payload) => Parse(topic, payload.Span);

    /// <summary>Parses and validates a message.</summary>
    public TelemetryParseResult Parse(string topic, ReadOnlySpan<byte> payload)
    {
        if (!Topic.TryMatch(topic, out var key))
            return TopicMismatch(topic);
        return ParsePayload(key, payload);
    }

    /// <summary>Parses and validates a message whose payload arrived in several segments.</summary>
    public TelemetryParseResult Parse(string topic, in ReadOnlySequence<byte> payload)
    {
        if (!Topic.TryMatch(topic, out var key))
            return TopicMismatch(topic);
        if (payload.IsSingleSegment) return ParsePayload(key, payload.FirstSpan);
        if (payload.Length > _options.MaxPayloadBytes) return TooLarge(key, payload.Length);
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        return ParseCore(key, ref reader);
    }

    /// <summary>Parses and validates a payload for a string already known (topic matched elsewhere).</summary>
    public TelemetryParseResult ParsePayload(StringKey key, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > _options.MaxPayloadBytes) return TooLarge(key, payload.Length);
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        return ParseCore(key, ref reader);
    }

    private TelemetryParseResult ParseCore(StringKey key, ref Utf8JsonReader reader)
    {
        Span<double> values = stackalloc double[SlotCount];
        var seen = 0;
        var time = default(DateTimeOffset);
        var firstReason = DeadLetterReason.None;
        string? firstField = null, firstMessage = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Rejected(key, DeadLetterReason.MalformedJson, null, "The payload is not a JSON object.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var slot = FindSlot(ref reader);
                if (slot < 0)
                {
                    if (!_options.AllowUnknownFields && firstReason == DeadLetterReason.None)
                    {
                        firstField = reader.GetString();
                        (firstReason, firstMessage) = (DeadLetterReason.UnknownField, $"Field '{firstField}' is not part of the payload mapping.");
                    }

                    reader.Read();
                    reader.Skip();
                    continue;
                }

                if ((seen & (1 << slot)) != 0 && firstReason == DeadLetterReason.None)
                    (firstReason, firstField, firstMessage) = (DeadLetterReason.DuplicateField, _names[slot], $"Field '{_names[slot]}' appears more than once.");
                seen |= 1 << slot;
                reader.Read();
                var (reason, message) = slot == TimeSlot ? ReadTime(ref reader, out time) : ReadSensor(ref reader, slot, out values[slot]);
                if (reason != DeadLetterReason.None && firstReason == DeadLetterReason.None)
                    (firstReason, firstField, firstMessage) = (reason, _names[slot], message);
                reader.Skip();
            }

            if (reader.TokenType != JsonTokenType.EndObject)
                return Rejected(key, DeadLetterReason.MalformedJson, null, "The payload is not a complete JSON object.");
            if (reader.Read())
                return Rejected(key, DeadLetterReason.MalformedJson, null, "The payload has data after the JSON object.");
        }
        catch (JsonException ex)
        {
            return Rejected(key, DeadLetterReason.MalformedJson, null, $"The payload is not valid JSON: {ex.Message}");
        }

        if (firstReason != DeadLetterReason.None)
            return Rejected(key, firstReason, firstField, firstMessage!);
        if (seen != AllSlots)
        {
            for (var slot = 0; slot < SlotCount; slot++)
                if ((seen & (1 << slot)) == 0)
                    return Rejected(key, DeadLetterReason.MissingField, _names[slot], $"Field '{_names[slot]}' is missing.");
        }

        for (var slot = 1; slot < SlotCount; slot++)
        {
            if (values[slot] < _min[slot] || values[slot] > _max[slot])
                return Rejected(key, DeadLetterReason.OutOfRange, _names[slot], string.Create(CultureInfo.InvariantCulture,
                    $"Field '{_names[slot]}' = {values[slot]} {Units(slot)} is outside the physically possible range [{_min[slot]}, {_max[slot]}]."));
        }

        var now = _time.GetUtcNow();
        if (_options.MaxFutureSkew is { } skew && time - now > skew)
            return Rejected(key, DeadLetterReason.TimestampInFuture, _names[TimeSlot], string.Create(CultureInfo.InvariantCulture,
                $"Field '{_names[TimeSlot]}' = {time:O} is {(time - now).TotalSeconds:0.###} s ahead of the clock ({now:O}); at most {skew.TotalSeconds} s is allowed."));
        if (_options.MaxAge is { } age && now - time > age)
            return Rejected(key, DeadLetterReason.TimestampTooOld, _names[TimeSlot], string.Create(CultureInfo.InvariantCulture,
                $"Field '{_names[TimeSlot]}' = {time:O} is older than the allowed {age} (clock {now:O})."));

        var sample = new TelemetrySample(time, values[1], values[2], values[3], values[4], values[5], values[6]);
        return TelemetryParseResult.Valid(key, sample, _night.IsNight(sample.G));
    }

    private int FindSlot(ref Utf8JsonReader reader)
    {
        for (var slot = 0; slot < SlotCount; slot++)
            if (reader.ValueTextEquals(_utf8Names[slot])) return slot;
        return -1;
    }

    private (DeadLetterReason, string?) ReadSensor(ref Utf8JsonReader reader, int slot, out double value)
    {
        value = 0;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetDouble(out value) || !double.IsFinite(value))
                    return (DeadLetterReason.NotFinite, $"Field '{_names[slot]}' is a number too large for a double.");
                return (DeadLetterReason.None, null);
            case JsonTokenType.String when IsNonFiniteText(ref reader):
                return (DeadLetterReason.NotFinite, $"Field '{_names[slot]}' is \"{reader.GetString()}\"; sensor values must be finite numbers.");
            default:
                return (DeadLetterReason.WrongType, $"Field '{_names[slot]}' is {Describe(reader.TokenType)}; expected a number ({Units(slot)}).");
        }
    }

    private (DeadLetterReason, string?) ReadTime(ref Utf8JsonReader reader, out DateTimeOffset time)
    {
        time = default;
        var name = _names[TimeSlot];
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!reader.TryGetDateTime(out var local))
                return (DeadLetterReason.InvalidTimestamp, $"Field '{name}' = \"{reader.GetString()}\" is not an ISO-8601 timestamp.");
            if (local.Kind == DateTimeKind.Unspecified)
                time = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Utc));
            else if (!reader.TryGetDateTimeOffset(out time))
                return (DeadLetterReason.InvalidTimestamp, $"Field '{name}' = \"{reader.GetString()}\" is not an ISO-8601 timestamp.");
            time = time.ToUniversalTime();
            return (DeadLetterReason.None, null);
        }

        if (reader.TokenType == JsonTokenType.Number)
        {
            long ms;
            if (!reader.TryGetInt64(out ms))
            {
                if (!reader.TryGetDouble(out var d) || !double.IsFinite(d) || d < MinEpochMs || d > MaxEpochMs)
                    return (DeadLetterReason.InvalidTimestamp, $"Field '{name}' is outside the epoch-millisecond range of years 1–9999.");
                ms = (long)Math.Floor(d);
            }

            if (ms < MinEpochMs || ms > MaxEpochMs)
                return (DeadLetterReason.InvalidTimestamp, string.Create(CultureInfo.InvariantCulture,
                    $"Field '{name}' = {ms} ms is outside the epoch-millisecond range of years 1–9999."));
            time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return (DeadLetterReason.None, null);
        }

        return (DeadLetterReason.WrongType, $"Field '{name}' is {Describe(reader.TokenType)}; expected an ISO-8601 string or epoch milliseconds.");
    }

    private static bool IsNonFiniteText(ref Utf8JsonReader reader)
    {
        var raw = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (raw > 16) return false;
        Span<char> buffer = stackalloc char[16];
        var text = buffer[..reader.CopyString(buffer)].Trim();
        return text.Equals("NaN", StringComparison.OrdinalIgnoreCase)
            || text.Equals("Infinity", StringComparison.OrdinalIgnoreCase)
            || text.Equals("+Infinity", StringComparison.OrdinalIgnoreCase)
            || text.Equals("-Infinity", StringComparison.OrdinalIgnoreCase)
            || text.Equals("Inf", StringComparison.OrdinalIgnoreCase)
            || text.Equals("+Inf", StringComparison.OrdinalIgnoreCase)
            || text.Equals("-Inf", StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };

    private static string Units(int slot) => slot switch
    {
        1 => "A",
        2 => "V",
        3 => "W/m²",
        4 or 5 => "°C",
        6 => "m/s",
        _ => "",
    };

    private TelemetryParseResult TopicMismatch(string topic) =>
        TelemetryParseResult.Rejected(default, DeadLetterReason.TopicMismatch, null, $"Topic '{topic}' does not match the pattern '{Topic.Pattern}'.");

    private TelemetryParseResult TooLarge(StringKey key, long length) =>
        TelemetryParseResult.Rejected(key, DeadLetterReason.PayloadTooLarge, null,
            $"The payload has {length} bytes; Ingest:MaxPayloadBytes allows {_options.MaxPayloadBytes}.");

    private static TelemetryParseResult Rejected(StringKey key, DeadLetterReason reason, string? field, string message) =>
        TelemetryParseResult.Rejected(key, reason, field, message);
}
