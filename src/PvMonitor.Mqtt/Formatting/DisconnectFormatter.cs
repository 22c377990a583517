using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>DISCONNECT (spec 3.14): empty on 3.1.1; MQTT 5 adds an optional reason code and properties.</summary>
internal static class DisconnectFormatter
{
    public static int GetRemainingLength(DisconnectPacket p, MqttProtocolVersion version, out int propertiesLength)
    {
        propertiesLength = 0;
        if (version != MqttProtocolVersion.V500)
            return 0;
        propertiesLength = MqttPropertySize.UInt32(p.SessionExpiryInterval)
            + MqttPropertySize.String(p.ReasonString)
            + MqttPropertySize.String(p.ServerReference)
            + MqttPropertySize.UserProperties(p.UserProperties);
        if (propertiesLength == 0)
            return p.ReasonCode == MqttReasonCode.NormalDisconnection ? 0 : 1;
        return 1 + MqttPropertySize.Block(propertiesLength);
    }

    public static void Write(ref MqttWireWriter w, DisconnectPacket p, int remainingLength, int propertiesLength)
    {
        if (remainingLength == 0)
            return;
        w.WriteByte((byte)p.ReasonCode);
        if (remainingLength == 1)
            return;
        w.WriteVariableByteInteger(propertiesLength);
        w.WriteProperty(MqttPropertyId.SessionExpiryInterval, p.SessionExpiryInterval);
        w.WriteProperty(MqttPropertyId.ServerReference, p.ServerReference);
        w.WriteProperty(MqttPropertyId.ReasonString, p.ReasonString);
        w.WriteUserProperties(p.UserProperties);
    }

    public static DisconnectPacket Decode(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var packet = new DisconnectPacket();
        var r = new MqttWireReader(body);
        if (version == MqttProtocolVersion.V500 && !r.End)
        {
            packet.ReasonCode = (MqttReasonCode)r.ReadByte();
            List<MqttUserProperty>? user = null;
            var props = MqttPropertyReader.ReadOptional(ref r, MqttPropertySets.Disconnect);
            while (props.MoveNext())
            {
                switch (props.Id)
                {
                    case MqttPropertyId.SessionExpiryInterval: packet.SessionExpiryInterval = props.Number; break;
                    case MqttPropertyId.ReasonString: packet.ReasonString = props.GetString(); break;
                    case MqttPropertyId.ServerReference: packet.ServerReference = props.GetString(); break;
                    case MqttPropertyId.UserProperty: (user ??= []).Add(props.GetUserProperty()); break;
                }
            }

            packet.UserProperties = user;
        }

        r.EnsureEnd();
        return packet;
    }
}
