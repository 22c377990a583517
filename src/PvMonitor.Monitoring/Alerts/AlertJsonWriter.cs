using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PvMonitor.Monitoring.Alerts;

/// <summary>
/// Writes the webhook JSON body of an <see cref="AlertEvent"/>: compact, keys in a fixed order, snake_case:
/// <c>kind, repeat, plant, inverter, string, strings, condition, confidence, elbo, sensors, from, to, time, model_version, link</c>.
/// <c>sensors</c> is an array of <c>{"sensor": name, "z": z-score}</c>, the sensors that look most wrong (anomaly_opened; empty
/// for other kinds).
/// <c>string</c> is the strings joined with ',' (a single name in the usual one-string case); times are UTC ISO-8601 with
/// milliseconds and a <c>Z</c>; only characters JSON requires are escaped (UTF-8 text and <c>&amp;</c> stay as they are); non-finite numbers and absent values are <c>null</c>. Pure and deterministic.
/// </summary>
public static class AlertJsonWriter
{
    // Relaxed escaping keeps '&' in links and non-ASCII names readable; the body is never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the body to <paramref name="output"/>.</summary>
    public static void Write(AlertEvent alert, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        w.WriteString("kind"u8, alert.Kind.ToWireName());
        w.WriteBoolean("repeat"u8, alert.IsRepeat);
        w.WriteString("plant"u8, alert.Plant);
        w.WriteString("inverter"u8, alert.Inverter);
        w.WriteString("string"u8, alert.StringList);
        w.WriteStartArray("strings"u8);
        foreach (var s in alert.Strings) w.WriteStringValue(s);
        w.WriteEndArray();
        if (alert.Condition is null) w.WriteNull("condition"u8);
        else w.WriteString("condition"u8, alert.Condition);
        WriteNumber(w, "confidence"u8, alert.Confidence);
        WriteNumber(w, "elbo"u8, alert.Elbo);
        w.WriteStartArray("sensors"u8);
        foreach (var s in alert.Sensors)
        {
            w.WriteStartObject();
            w.WriteString("sensor"u8, s.Sensor);
            WriteNumber(w, "z"u8, s.Z);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("from"u8, FormatTime(alert.From));
        if (alert.To is { } to) w.WriteString("to"u8, FormatTime(to));
        else w.WriteNull("to"u8);
        w.WriteString("time"u8, FormatTime(alert.Time));
        w.WriteString("model_version"u8, alert.ModelVersion);
        w.WriteString("link"u8, alert.Link);
        w.WriteEndObject();
    }

    /// <summary>Returns the body as a new byte array.</summary>
    public static byte[] ToUtf8Bytes(AlertEvent alert)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(alert, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>UTC ISO-8601 with milliseconds, e.g. <c>2026-06-01T12:00:00.000Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
