using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>UNSUBACK (spec 3.11): packet id; MQTT 5 adds properties and one reason code per filter.</summary>
internal static class UnsubAckFormatter
{
    public static int GetRemainingLength(UnsubAckPacket p, MqttProtocolVersion version, out int propertiesLength)
    {
        PubAckFormatter.RequirePacketId(p.PacketId);
        propertiesLength = 0;
        if (version != MqttProtocolVersion.V500)
            return 2;
        if (p.ReasonCodes.Count == 0)
            throw new MqttProtocolException("An MQTT 5 UNSUBACK needs at least one reason code.", MqttReasonCode.ProtocolError);
        propertiesLength = MqttPropertySize.String(p.ReasonString) + MqttPropertySize.UserProperties(p.UserProperties);
        return 2 + MqttPropertySize.Block(propertiesLength) + p.ReasonCodes.Count;
    }

    public static void Write(ref MqttWireWriter w, UnsubAckPacket p, MqttProtocolVersion version, int propertiesLength)
    {
        w.WriteUInt16(p.PacketId);
        if (version != MqttProtocolVersion.V500)
            return;
        w.WriteVariableByteInteger(propertiesLength);
        w.WriteProperty(MqttPropertyId.ReasonString, p.ReasonString);
        w.WriteUserProperties(p.UserProperties);
        for (var i = 0; i < p.ReasonCodes.Count; i++)
            w.WriteByte((byte)p.ReasonCodes[i]);
    }

    public static UnsubAckPacket Decode(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttWireReader(body);
        var packet = new UnsubAckPacket { PacketId = PubAckFormatter.ReadPacketId(ref r) };
        if (version == MqttProtocolVersion.V500)
        {
            (packet.ReasonString, packet.UserProperties) = PubAckFormatter.ReadAckProperties(ref r);
            var codes = r.ReadToEnd();
            if (codes.IsEmpty)
                MqttThrow.ProtocolError("An MQTT 5 UNSUBACK has no reason code.");
            var list = new MqttReasonCode[codes.Length];
            for (var i = 0; i < codes.Length; i++)
                list[i] = (MqttReasonCode)codes[i];
            packet.ReasonCodes = list;
        }

        r.EnsureEnd();
        return packet;
    }
}
