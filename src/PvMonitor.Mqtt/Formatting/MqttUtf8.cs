using System.Text;
using System.Text.Unicode;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>
/// The MQTT UTF-8 string rules (spec 1.5.4): well-formed UTF-8 (so no encoded surrogates), no U+0000,
/// at most 65,535 bytes. Incoming violations are malformed packets; outgoing ones are refused before any byte is written.
/// </summary>
public static class MqttUtf8
{
    /// <summary>Longest string, in UTF-8 bytes, that fits the two-byte length prefix.</summary>
    public const int MaxByteCount = ushort.MaxValue;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when <paramref name="utf8"/> is a valid MQTT string body.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) =>
        utf8.Length <= MaxByteCount && utf8.IndexOf((byte)0) < 0 && Utf8.IsValid(utf8);

    /// <summary>Throws <see cref="MqttProtocolException"/> (malformed) unless <paramref name="utf8"/> is a valid MQTT string body.</summary>
    public static void Validate(ReadOnlySpan<byte> utf8)
    {
        if (!IsValid(utf8))
            MqttThrow.Malformed("A string is not well-formed UTF-8 or contains U+0000.");
    }

    /// <summary>True when <paramref name="value"/> can be sent as an MQTT string (see <see cref="GetByteCount"/>).</summary>
    public static bool IsValid(string value)
    {
        if (value.Contains('\0'))
            return false;
        try
        {
            return Strict.GetByteCount(value) <= MaxByteCount;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Validates and decodes.</summary>
    public static string GetString(ReadOnlySpan<byte> utf8)
    {
        Validate(utf8);
        return Encoding.UTF8.GetString(utf8);
    }

    /// <summary>
    /// UTF-8 byte count of <paramref name="value"/>; throws <see cref="MqttProtocolException"/> when it has a lone surrogate,
    /// contains U+0000 or is longer than 65,535 bytes.
    /// </summary>
    public static int GetByteCount(string value)
    {
        if (value.Contains('\0'))
            throw new MqttProtocolException("An MQTT string cannot contain U+0000.");
        int count;
        try
        {
            count = Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new MqttProtocolException("An MQTT string cannot contain a lone UTF-16 surrogate.");
        }

        if (count > MaxByteCount)
            throw new MqttProtocolException($"An MQTT string is {count} UTF-8 bytes; the limit is {MaxByteCount}.");
        return count;
    }

    /// <summary>Encodes a string already measured by <see cref="GetByteCount"/>.</summary>
    internal static int Encode(string value, Span<byte> destination) => Encoding.UTF8.GetBytes(value, destination);
}
