using System.Buffers.Binary;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>
/// Writes MQTT fields into a span sized beforehand (packets compute their length before writing,
/// so the writer never grows or checks capacity beyond the span's own bounds).
/// </summary>
internal ref struct MqttWireWriter
{
    private readonly Span<byte> _span;
    private int _position;

    public MqttWireWriter(Span<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value) => _span[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span.Slice(_position), value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span.Slice(_position), value);
        _position += 4;
    }

    public void WriteVariableByteInteger(int value) => _position += VariableByteInteger.Write(_span.Slice(_position), value);

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span.Slice(_position));
        _position += value.Length;
    }

    /// <summary>Two-byte length, then the bytes.</summary>
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    /// <summary>Two-byte length, then UTF-8. The string was checked by <see cref="MqttUtf8.GetByteCount"/> when the packet was sized.</summary>
    public void WriteString(string value)
    {
        var count = MqttUtf8.Encode(value, _span.Slice(_position + 2));
        BinaryPrimitives.WriteUInt16BigEndian(_span.Slice(_position), (ushort)count);
        _position += 2 + count;
    }

    public void WriteProperty(MqttPropertyId id, byte? value)
    {
        if (value is not { } v)
            return;
        WriteByte((byte)id);
        WriteByte(v);
    }

    public void WriteProperty(MqttPropertyId id, bool? value) => WriteProperty(id, value is { } v ? (byte?)(v ? 1 : 0) : null);

    public void WriteProperty(MqttPropertyId id, ushort? value)
    {
        if (value is not { } v)
            return;
        WriteByte((byte)id);
        WriteUInt16(v);
    }

    public void WriteProperty(MqttPropertyId id, uint? value)
    {
        if (value is not { } v)
            return;
        WriteByte((byte)id);
        WriteUInt32(v);
    }

    public void WriteVariableByteIntegerProperty(MqttPropertyId id, uint? value)
    {
        if (value is not { } v)
            return;
        WriteByte((byte)id);
        WriteVariableByteInteger((int)v);
    }

    public void WriteProperty(MqttPropertyId id, string? value)
    {
        if (value is null)
            return;
        WriteByte((byte)id);
        WriteString(value);
    }

    public void WriteProperty(MqttPropertyId id, byte[]? value)
    {
        if (value is null)
            return;
        WriteByte((byte)id);
        WriteBinary(value);
    }

    public void WriteUserProperties(IReadOnlyList<MqttUserProperty>? properties)
    {
        if (properties is null)
            return;
        for (var i = 0; i < properties.Count; i++)
        {
            WriteByte((byte)MqttPropertyId.UserProperty);
            WriteString(properties[i].Name);
            WriteString(properties[i].Value);
        }
    }
}
