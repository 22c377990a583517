using System.Buffers;
using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>
/// Turns packets into bytes; no I/O. Each packet computes its length first, then is written in one pass into a
/// single span taken from the <see cref="IBufferWriter{T}"/>. Invalid packets (bad strings, missing ids, too large)
/// throw <see cref="MqttProtocolException"/> before anything is written.
/// </summary>
public static class MqttPacketEncoder
{
    /// <summary>Encodes <paramref name="packet"/> and returns the bytes written.</summary>
    /// <param name="packet">The packet; a CONNECT is encoded with its own <see cref="ConnectPacket.ProtocolVersion"/>.</param>
    /// <param name="version">Protocol of the connection.</param>
    /// <param name="output">Destination.</param>
    /// <param name="maxPacketSize">Largest packet the peer accepts, in bytes; default unlimited (the protocol limit).</param>
    public static int Encode(MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output, int maxPacketSize = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(output);
        var total = Measure(packet, version, out var first, out var remaining, out var properties);
        if (total > maxPacketSize)
            MqttThrow.TooLarge(first >> 4, total, maxPacketSize);

        var w = new MqttWireWriter(output.GetSpan(total).Slice(0, total));
        w.WriteByte(first);
        w.WriteVariableByteInteger(remaining);
        switch (packet)
        {
            case PublishPacket p: PublishFormatter.Write(ref w, p, version, properties); break;
            case PubAckPacket p: PubAckFormatter.Write(ref w, p, remaining, properties); break;
            case ConnectPacket p: ConnectFormatter.Write(ref w, p, properties); break;
            case ConnAckPacket p: ConnAckFormatter.Write(ref w, p, version, properties); break;
            case SubscribePacket p: SubscribeFormatter.Write(ref w, p, version, properties); break;
            case SubAckPacket p: SubAckFormatter.Write(ref w, p, version, properties); break;
            case UnsubscribePacket p: UnsubscribeFormatter.Write(ref w, p, version, properties); break;
            case UnsubAckPacket p: UnsubAckFormatter.Write(ref w, p, version, properties); break;
            case DisconnectPacket p: DisconnectFormatter.Write(ref w, p, remaining, properties); break;
        }

        if (w.Position != total)
            throw new InvalidOperationException($"Encoder bug: {packet.Type} sized {total} bytes but wrote {w.Position}.");
        output.Advance(total);
        return total;
    }

    /// <summary>
    /// Size in bytes of <paramref name="packet"/> once encoded, fixed header included. Validates the packet the same way
    /// <see cref="Encode"/> does, so a packet that measures will encode.
    /// </summary>
    public static int GetSize(MqttPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return Measure(packet, version, out _, out _, out _);
    }

    private static int Measure(MqttPacket packet, MqttProtocolVersion version, out byte first, out int remaining, out int properties)
    {
        properties = 0;
        switch (packet)
        {
            case PublishPacket p: first = PublishFormatter.FirstByte(p); remaining = PublishFormatter.GetRemainingLength(p, version, out properties); break;
            case PubAckPacket p: first = 0x40; remaining = PubAckFormatter.GetRemainingLength(p, version, out properties); break;
            case ConnectPacket p: first = 0x10; remaining = ConnectFormatter.GetRemainingLength(p, out properties); break;
            case ConnAckPacket p: first = 0x20; remaining = ConnAckFormatter.GetRemainingLength(p, version, out properties); break;
            case SubscribePacket p: first = 0x82; remaining = SubscribeFormatter.GetRemainingLength(p, version, out properties); break;
            case SubAckPacket p: first = 0x90; remaining = SubAckFormatter.GetRemainingLength(p, version, out properties); break;
            case UnsubscribePacket p: first = 0xA2; remaining = UnsubscribeFormatter.GetRemainingLength(p, version, out properties); break;
            case UnsubAckPacket p: first = 0xB0; remaining = UnsubAckFormatter.GetRemainingLength(p, version, out properties); break;
            case PingReqPacket: first = 0xC0; remaining = 0; break;
            case PingRespPacket: first = 0xD0; remaining = 0; break;
            case DisconnectPacket p: first = 0xE0; remaining = DisconnectFormatter.GetRemainingLength(p, version, out properties); break;
            default: throw new ArgumentException($"Cannot encode {packet.Type} packets.", nameof(packet));
        }

        if (remaining > VariableByteInteger.MaxValue)
            MqttThrow.TooLarge(first >> 4, 5L + remaining, MqttPacketDecoder.MaxPacketSizeLimit);
        return 1 + VariableByteInteger.GetSize(remaining) + remaining;
    }

    /// <summary>Writes a successful PUBACK (4 bytes, the same in 3.1.1 and 5) without allocating.</summary>
    public static void WritePubAck(IBufferWriter<byte> output, ushort packetId)
    {
        var span = output.GetSpan(4);
        span[0] = 0x40;
        span[1] = 0x02;
        span[2] = (byte)(packetId >> 8);
        span[3] = (byte)packetId;
        output.Advance(4);
    }

    /// <summary>Writes PINGREQ (2 bytes).</summary>
    public static void WritePingReq(IBufferWriter<byte> output)
    {
        var span = output.GetSpan(2);
        span[0] = 0xC0;
        span[1] = 0x00;
        output.Advance(2);
    }
}
