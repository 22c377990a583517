using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>SUBACK (spec 3.9): packet id, [properties], one code per filter.</summary>
internal static class SubAckFormatter
{
    public static int GetRemainingLength(SubAckPacket p, MqttProtocolVersion version, out int propertiesLength)
    {
        PubAckFormatter.RequirePacketId(p.PacketId);
        if (p.ReasonCodes.Count == 0)
            throw new MqttProtocolException("A SUBACK needs at least one code.", MqttReasonCode.ProtocolError);
        propertiesLength = 0;
        var length = 2 + p.ReasonCodes.Count;
        if (version == MqttProtocolVersion.V500)
        {
            propertiesLength = MqttPropertySize.String(p.ReasonString) + MqttPropertySize.UserProperties(p.UserProperties);
            length += MqttPropertySize.Block(propertiesLength);
        }
        else
        {
            for (var i = 0; i < p.ReasonCodes.Count; i++)
                EnsureV311Code((byte)p.ReasonCodes[i]);
        }

        return length;
    }

    public static void Write(ref MqttWireWriter w, SubAckPacket p, MqttProtocolVersion version, int propertiesLength)
    {
        w.WriteUInt16(p.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            w.WriteVariableByteInteger(propertiesLength);
            w.WriteProperty(MqttPropertyId.ReasonString, p.ReasonString);
            w.WriteUserProperties(p.UserProperties);
        }

        for (var i = 0; i < p.ReasonCodes.Count; i++)
            w.WriteByte((byte)p.ReasonCodes[i]);
    }

    public static SubAckPacket Decode(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttWireReader(body);
        var packet = new SubAckPacket { PacketId = PubAckFormatter.ReadPacketId(ref r) };
        var v5 = version == MqttProtocolVersion.V500;
        if (v5)
            (packet.ReasonString, packet.UserProperties) = PubAckFormatter.ReadAckProperties(ref r);
        var codes = r.ReadToEnd();
        if (codes.IsEmpty)
            MqttThrow.ProtocolError("A SUBACK has no return code.");
        var list = new MqttReasonCode[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            if (!v5)
                EnsureV311Code(codes[i]);
            list[i] = (MqttReasonCode)codes[i];
        }

        packet.ReasonCodes = list;
        return packet;
    }

    private static void EnsureV311Code(byte code)
    {
        if (code is not (0 or 1 or 2 or 0x80))
            throw new MqttProtocolException($"SUBACK return code 0x{code:X2} is not valid in MQTT 3.1.1.");
    }
}
