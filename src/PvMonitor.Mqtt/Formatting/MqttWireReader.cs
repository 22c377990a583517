using System.Buffers.Binary;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>
/// Reads MQTT fields from the body of one complete packet. Every read is bounds-checked and a short body
/// is a <see cref="MqttProtocolException"/>, never an out-of-range exception.
/// </summary>
internal ref struct MqttWireReader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public MqttWireReader(ReadOnlySpan<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Remaining => _span.Length - _position;

    public readonly bool End => _position >= _span.Length;

    public byte ReadByte()
    {
        if (_position >= _span.Length)
            MqttThrow.Truncated();
        return _span[_position++];
    }

    public ushort ReadUInt16()
    {
        if (Remaining < 2)
            MqttThrow.Truncated();
        var value = BinaryPrimitives.ReadUInt16BigEndian(_span.Slice(_position));
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        if (Remaining < 4)
            MqttThrow.Truncated();
        var value = BinaryPrimitives.ReadUInt32BigEndian(_span.Slice(_position));
        _position += 4;
        return value;
    }

    public int ReadVariableByteInteger()
    {
        if (!VariableByteInteger.TryRead(_span.Slice(_position), out var value, out var read))
            MqttThrow.Truncated();
        _position += read;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if ((uint)count > (uint)Remaining)
            MqttThrow.Truncated();
        var slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>Two-byte length, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadBinary() => ReadBytes(ReadUInt16());

    /// <summary>Two-byte length, then that many bytes of validated UTF-8.</summary>
    public ReadOnlySpan<byte> ReadUtf8()
    {
        var bytes = ReadBinary();
        MqttUtf8.Validate(bytes);
        return bytes;
    }

    public string ReadString() => MqttUtf8.GetString(ReadBinary());

    public ReadOnlySpan<byte> ReadToEnd()
    {
        var slice = _span.Slice(_position);
        _position = _span.Length;
        return slice;
    }

    /// <summary>Throws unless every byte was consumed.</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _span.Length)
            MqttThrow.Malformed($"The packet has {Remaining} unexpected trailing byte(s).");
    }
}
