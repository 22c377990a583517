using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>PUBACK (spec 3.4): packet id, then in MQTT 5 an optional reason code and properties.</summary>
internal static class PubAckFormatter
{
    public static int GetRemainingLength(PubAckPacket p, MqttProtocolVersion version, out int propertiesLength)
    {
        RequirePacketId(p.PacketId);
        propertiesLength = 0;
        if (version != MqttProtocolVersion.V500)
            return 2;
        propertiesLength = MqttPropertySize.String(p.ReasonString) + MqttPropertySize.UserProperties(p.UserProperties);
        if (propertiesLength == 0)
            return p.ReasonCode == MqttReasonCode.Success ? 2 : 3;
        return 3 + MqttPropertySize.Block(propertiesLength);
    }

    public static void Write(ref MqttWireWriter w, PubAckPacket p, int remainingLength, int propertiesLength)
    {
        w.WriteUInt16(p.PacketId);
        if (remainingLength == 2)
            return;
        w.WriteByte((byte)p.ReasonCode);
        if (remainingLength == 3)
            return;
        w.WriteVariableByteInteger(propertiesLength);
        w.WriteProperty(MqttPropertyId.ReasonString, p.ReasonString);
        w.WriteUserProperties(p.UserProperties);
    }

    /// <summary>Reads only the packet id and reason code (properties are validated, not kept). Allocation-free.</summary>
    public static ushort Read(ReadOnlySpan<byte> body, MqttProtocolVersion version, out MqttReasonCode reasonCode)
    {
        var r = new MqttWireReader(body);
        var packetId = ReadPacketId(ref r);
        reasonCode = MqttReasonCode.Success;
        if (version == MqttProtocolVersion.V500 && !r.End)
        {
            reasonCode = (MqttReasonCode)r.ReadByte();
            var props = MqttPropertyReader.ReadOptional(ref r, MqttPropertySets.Ack);
            while (props.MoveNext())
            {
            }
        }

        r.EnsureEnd();
        return packetId;
    }

    public static PubAckPacket Decode(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttWireReader(body);
        var packet = new PubAckPacket { PacketId = ReadPacketId(ref r) };
        if (version == MqttProtocolVersion.V500 && !r.End)
        {
            packet.ReasonCode = (MqttReasonCode)r.ReadByte();
            (packet.ReasonString, packet.UserProperties) = ReadAckProperties(ref r);
        }

        r.EnsureEnd();
        return packet;
    }

    internal static void RequirePacketId(ushort packetId)
    {
        if (packetId == 0)
            throw new MqttProtocolException("A packet identifier cannot be 0.", MqttReasonCode.ProtocolError);
    }

    internal static ushort ReadPacketId(ref MqttWireReader r)
    {
        var id = r.ReadUInt16();
        if (id == 0)
            MqttThrow.ProtocolError("A packet identifier cannot be 0.");
        return id;
    }

    /// <summary>The reason string and user properties that PUBACK, SUBACK and UNSUBACK may carry.</summary>
    internal static (string? ReasonString, List<MqttUserProperty>? UserProperties) ReadAckProperties(ref MqttWireReader r)
    {
        string? reason = null;
        List<MqttUserProperty>? user = null;
        var props = MqttPropertyReader.ReadOptional(ref r, MqttPropertySets.Ack);
        while (props.MoveNext())
        {
            if (props.Id == MqttPropertyId.ReasonString)
                reason = props.GetString();
            else
                (user ??= []).Add(props.GetUserProperty());
        }

        return (reason, user);
    }
}
