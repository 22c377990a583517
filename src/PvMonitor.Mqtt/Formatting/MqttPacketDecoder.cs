using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>
/// Turns bytes into packets; no I/O. A short buffer is answered with "need more data" (false) without allocating;
/// any rule violation, including a packet over <see cref="MaxPacketSize"/>, is a <see cref="MqttProtocolException"/>
/// raised as soon as the fixed header shows it, so a bad length never makes anyone buffer or allocate its size.
/// </summary>
public sealed class MqttPacketDecoder
{
    /// <summary>The largest packet MQTT can express: 1 type byte + 4 length bytes + 268,435,455.</summary>
    public const int MaxPacketSizeLimit = 5 + VariableByteInteger.MaxValue;

    /// <param name="version">Protocol of the connection (CONNECT carries its own and ignores this).</param>
    /// <param name="maxPacketSize">Largest accepted packet in bytes, fixed header included; default the protocol limit.</param>
    public MqttPacketDecoder(MqttProtocolVersion version, int maxPacketSize = MaxPacketSizeLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 2);
        Version = version;
        MaxPacketSize = maxPacketSize;
    }

    public MqttProtocolVersion Version { get; }

    /// <summary>Largest accepted packet in bytes, fixed header included.</summary>
    public int MaxPacketSize { get; }

    /// <summary>
    /// Reads the fixed header at the start of <paramref name="buffer"/>. False: more bytes are needed.
    /// Throws when the first byte or length is malformed or the packet would exceed <see cref="MaxPacketSize"/>.
    /// </summary>
    public bool TryReadHeader(ReadOnlySpan<byte> buffer, out MqttFixedHeader header)
    {
        if (!TryReadHeaderUnbounded(buffer, out header))
            return false;
        if (header.FrameLength > MaxPacketSize)
            MqttThrow.TooLarge((int)header.Type, header.FrameLength, MaxPacketSize);
        return true;
    }

    /// <summary>
    /// <see cref="TryReadHeader"/> without the size check, for a caller that skips oversized packets as they stream past
    /// instead of failing the connection (see the session's read loop).
    /// </summary>
    internal bool TryReadHeaderUnbounded(ReadOnlySpan<byte> buffer, out MqttFixedHeader header)
    {
        header = default;
        if (buffer.IsEmpty)
            return false;
        var first = buffer[0];
        ValidateFirstByte(first);
        if (!VariableByteInteger.TryRead(buffer.Slice(1), out var remaining, out var lengthBytes))
            return false;
        header = new MqttFixedHeader(first, remaining, 1 + lengthBytes);
        return true;
    }

    /// <summary>Decodes one packet from the start of <paramref name="buffer"/>, or returns false when it is not complete yet.</summary>
    public bool TryDecode(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out MqttPacket? packet, out int consumed)
    {
        packet = null;
        consumed = 0;
        if (!TryReadHeader(buffer, out var header) || buffer.Length < header.FrameLength)
            return false;
        packet = Decode(header, buffer.Slice(header.HeaderLength, header.RemainingLength));
        consumed = header.FrameLength;
        return true;
    }

    /// <summary>Same as the span overload for a possibly segmented buffer (a pipe reader's).</summary>
    public bool TryDecode(in ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out MqttPacket? packet, out SequencePosition consumed)
    {
        if (buffer.IsSingleSegment)
        {
            var done = TryDecode(buffer.FirstSpan, out packet, out var count);
            consumed = buffer.GetPosition(count);
            return done;
        }

        packet = null;
        consumed = buffer.Start;
        Span<byte> headerBytes = stackalloc byte[5];
        var available = (int)Math.Min(buffer.Length, 5);
        buffer.Slice(0, available).CopyTo(headerBytes);
        if (!TryReadHeader(headerBytes.Slice(0, available), out var header) || buffer.Length < header.FrameLength)
            return false;

        var rented = ArrayPool<byte>.Shared.Rent(header.RemainingLength);
        try
        {
            var body = rented.AsSpan(0, header.RemainingLength);
            buffer.Slice(header.HeaderLength, header.RemainingLength).CopyTo(body);
            packet = Decode(header, body);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        consumed = buffer.GetPosition(header.FrameLength);
        return true;
    }

    /// <summary>Decodes the body of a packet whose header was read by <see cref="TryReadHeader"/>.</summary>
    public MqttPacket Decode(in MqttFixedHeader header, ReadOnlySpan<byte> body)
    {
        var flags = header.Flags;
        switch (header.Type)
        {
            case MqttPacketType.Connect: return ConnectFormatter.Decode(body, flags);
            case MqttPacketType.ConnAck: return ConnAckFormatter.Decode(body, Version);
            case MqttPacketType.Publish: return PublishFormatter.Decode(body, flags, Version);
            case MqttPacketType.PubAck: return PubAckFormatter.Decode(body, Version);
            case MqttPacketType.Subscribe: return SubscribeFormatter.Decode(body, Version);
            case MqttPacketType.SubAck: return SubAckFormatter.Decode(body, Version);
            case MqttPacketType.Unsubscribe: return UnsubscribeFormatter.Decode(body, Version);
            case MqttPacketType.UnsubAck: return UnsubAckFormatter.Decode(body, Version);
            case MqttPacketType.PingReq: EnsureEmpty(body); return PingReqPacket.Instance;
            case MqttPacketType.PingResp: EnsureEmpty(body); return PingRespPacket.Instance;
            case MqttPacketType.Disconnect: return DisconnectFormatter.Decode(body, Version);
            default:
                throw new MqttProtocolException($"{header.Type} packets (QoS 2 and enhanced authentication) are not supported.", MqttReasonCode.ProtocolError);
        }
    }

    /// <summary>Validates a PUBLISH body and returns spans into it, without allocating (the receive hot path).</summary>
    public MqttPublishView DecodePublish(in MqttFixedHeader header, ReadOnlySpan<byte> body) =>
        PublishFormatter.ReadView(body, header.Flags, Version);

    /// <summary>Reads a PUBACK's packet id and reason code without allocating.</summary>
    public ushort DecodePubAck(ReadOnlySpan<byte> body, out MqttReasonCode reasonCode) =>
        PubAckFormatter.Read(body, Version, out reasonCode);

    private void ValidateFirstByte(byte first)
    {
        var type = first >> 4;
        var flags = first & 0x0F;
        switch (type)
        {
            case 0:
                MqttThrow.Malformed("Packet type 0 is reserved.");
                break;
            case (int)MqttPacketType.Publish:
                break;
            case (int)MqttPacketType.PubRel or (int)MqttPacketType.Subscribe or (int)MqttPacketType.Unsubscribe:
                if (flags != 0x02)
                    MqttThrow.Malformed($"The fixed-header flags of a {(MqttPacketType)type} packet must be 0010.");
                break;
            case (int)MqttPacketType.Auth when Version != MqttProtocolVersion.V500:
                MqttThrow.Malformed("Packet type 15 is reserved in MQTT 3.1.1.");
                break;
            default:
                if (flags != 0)
                    MqttThrow.Malformed($"The fixed-header flags of a {(MqttPacketType)type} packet must be 0000.");
                break;
        }
    }

    private static void EnsureEmpty(ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty)
            MqttThrow.Malformed("PINGREQ and PINGRESP have no body.");
    }
}
