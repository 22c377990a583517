namespace PvMonitor.Mqtt.Formatting;

/// <summary>
/// The MQTT variable byte integer (spec 1.5.5 / 2.2.3): 7 bits per byte, least significant group first,
/// high bit = "more bytes follow", at most 4 bytes, so at most 268,435,455. Encodings longer than needed are malformed.
/// </summary>
public static class VariableByteInteger
{
    /// <summary>Largest encodable value: 268,435,455 (0x0FFFFFFF).</summary>
    public const int MaxValue = 268_435_455;

    /// <summary>Bytes needed to encode <paramref name="value"/> (1–4).</summary>
    public static int GetSize(int value) => value switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(value), value, "A variable byte integer cannot be negative."),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        <= MaxValue => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, $"A variable byte integer cannot exceed {MaxValue}."),
    };

    /// <summary>Writes <paramref name="value"/> and returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var size = GetSize(value);
        for (var i = 0; i < size; i++)
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            destination[i] = value > 0 ? (byte)(b | 0x80) : b;
        }

        return size;
    }

    /// <summary>
    /// Reads a variable byte integer from the start of <paramref name="source"/>.
    /// Returns false when more bytes are needed; throws <see cref="MqttProtocolException"/> when the encoding is malformed
    /// (a fifth byte, or a longer encoding than the value needs).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out int value, out int bytesRead)
    {
        value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i >= source.Length)
            {
                bytesRead = 0;
                value = 0;
                return false;
            }

            var b = source[i];
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                    MqttThrow.Malformed("A variable byte integer uses more bytes than its value needs.");
                bytesRead = i + 1;
                return true;
            }
        }

        MqttThrow.Malformed("A variable byte integer is longer than 4 bytes.");
        bytesRead = 0;
        return false;
    }
}
