using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>CONNACK (spec 3.2): acknowledge flags, return/reason code, [properties].</summary>
internal static class ConnAckFormatter
{
    public static int GetRemainingLength(ConnAckPacket p, MqttProtocolVersion version, out int propertiesLength)
    {
        propertiesLength = 0;
        if (version != MqttProtocolVersion.V500)
        {
            _ = ToV311ReturnCode(p.ReasonCode);
            return 2;
        }

        propertiesLength = MqttPropertySize.UInt32(p.SessionExpiryInterval)
            + MqttPropertySize.UInt16(p.ReceiveMaximum)
            + MqttPropertySize.Byte((byte?)p.MaximumQoS)
            + MqttPropertySize.Boolean(p.RetainAvailable)
            + MqttPropertySize.UInt32(p.MaximumPacketSize)
            + MqttPropertySize.String(p.AssignedClientIdentifier)
            + MqttPropertySize.UInt16(p.TopicAliasMaximum)
            + MqttPropertySize.String(p.ReasonString)
            + MqttPropertySize.Boolean(p.WildcardSubscriptionAvailable)
            + MqttPropertySize.Boolean(p.SubscriptionIdentifiersAvailable)
            + MqttPropertySize.Boolean(p.SharedSubscriptionAvailable)
            + MqttPropertySize.UInt16(p.ServerKeepAlive)
            + MqttPropertySize.String(p.ResponseInformation)
            + MqttPropertySize.String(p.ServerReference)
            + MqttPropertySize.UserProperties(p.UserProperties);
        return 2 + MqttPropertySize.Block(propertiesLength);
    }

    public static void Write(ref MqttWireWriter w, ConnAckPacket p, MqttProtocolVersion version, int propertiesLength)
    {
        w.WriteByte(p.SessionPresent ? (byte)1 : (byte)0);
        if (version != MqttProtocolVersion.V500)
        {
            w.WriteByte(ToV311ReturnCode(p.ReasonCode));
            return;
        }

        w.WriteByte((byte)p.ReasonCode);
        w.WriteVariableByteInteger(propertiesLength);
        w.WriteProperty(MqttPropertyId.SessionExpiryInterval, p.SessionExpiryInterval);
        w.WriteProperty(MqttPropertyId.AssignedClientIdentifier, p.AssignedClientIdentifier);
        w.WriteProperty(MqttPropertyId.ServerKeepAlive, p.ServerKeepAlive);
        w.WriteProperty(MqttPropertyId.ResponseInformation, p.ResponseInformation);
        w.WriteProperty(MqttPropertyId.ServerReference, p.ServerReference);
        w.WriteProperty(MqttPropertyId.ReasonString, p.ReasonString);
        w.WriteProperty(MqttPropertyId.ReceiveMaximum, p.ReceiveMaximum);
        w.WriteProperty(MqttPropertyId.TopicAliasMaximum, p.TopicAliasMaximum);
        w.WriteProperty(MqttPropertyId.MaximumQoS, (byte?)p.MaximumQoS);
        w.WriteProperty(MqttPropertyId.RetainAvailable, p.RetainAvailable);
        w.WriteUserProperties(p.UserProperties);
        w.WriteProperty(MqttPropertyId.MaximumPacketSize, p.MaximumPacketSize);
        w.WriteProperty(MqttPropertyId.WildcardSubscriptionAvailable, p.WildcardSubscriptionAvailable);
        w.WriteProperty(MqttPropertyId.SubscriptionIdentifierAvailable, p.SubscriptionIdentifiersAvailable);
        w.WriteProperty(MqttPropertyId.SharedSubscriptionAvailable, p.SharedSubscriptionAvailable);
    }

    public static ConnAckPacket Decode(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttWireReader(body);
        var ackFlags = r.ReadByte();
        if ((ackFlags & 0xFE) != 0)
            MqttThrow.Malformed("The reserved CONNACK flags must be 0.");
        var packet = new ConnAckPacket { SessionPresent = (ackFlags & 1) != 0 };
        var code = r.ReadByte();
        if (version != MqttProtocolVersion.V500)
        {
            packet.ReasonCode = FromV311ReturnCode(code);
            r.EnsureEnd();
            return packet;
        }

        // A 3.1.1-only broker answers a level-5 CONNECT with a 3.1.1 refusal (codes 1-5), which MQTT 5 never uses.
        packet.ReasonCode = code is > 0 and < 0x80 ? FromV311ReturnCode(code) : (MqttReasonCode)code;
        List<MqttUserProperty>? user = null;
        var props = MqttPropertyReader.ReadOptional(ref r, MqttPropertySets.ConnAck);
        while (props.MoveNext())
        {
            switch (props.Id)
            {
                case MqttPropertyId.SessionExpiryInterval: packet.SessionExpiryInterval = props.Number; break;
                case MqttPropertyId.ReceiveMaximum: packet.ReceiveMaximum = (ushort)props.Number; break;
                case MqttPropertyId.MaximumQoS: packet.MaximumQoS = (MqttQualityOfService)props.Number; break;
                case MqttPropertyId.RetainAvailable: packet.RetainAvailable = props.GetBoolean(); break;
                case MqttPropertyId.MaximumPacketSize: packet.MaximumPacketSize = props.Number; break;
                case MqttPropertyId.AssignedClientIdentifier: packet.AssignedClientIdentifier = props.GetString(); break;
                case MqttPropertyId.TopicAliasMaximum: packet.TopicAliasMaximum = (ushort)props.Number; break;
                case MqttPropertyId.ReasonString: packet.ReasonString = props.GetString(); break;
                case MqttPropertyId.WildcardSubscriptionAvailable: packet.WildcardSubscriptionAvailable = props.GetBoolean(); break;
                case MqttPropertyId.SubscriptionIdentifierAvailable: packet.SubscriptionIdentifiersAvailable = props.GetBoolean(); break;
                case MqttPropertyId.SharedSubscriptionAvailable: packet.SharedSubscriptionAvailable = props.GetBoolean(); break;
                case MqttPropertyId.ServerKeepAlive: packet.ServerKeepAlive = (ushort)props.Number; break;
                case MqttPropertyId.ResponseInformation: packet.ResponseInformation = props.GetString(); break;
                case MqttPropertyId.ServerReference: packet.ServerReference = props.GetString(); break;
                case MqttPropertyId.UserProperty: (user ??= []).Add(props.GetUserProperty()); break;
            }
        }

        packet.UserProperties = user;
        r.EnsureEnd();
        return packet;
    }

    /// <summary>3.1.1 CONNACK return codes 0–5 (spec 3.2.2.3) as MQTT 5 reason codes.</summary>
    public static MqttReasonCode FromV311ReturnCode(byte code) => code switch
    {
        0 => MqttReasonCode.Success,
        1 => MqttReasonCode.UnsupportedProtocolVersion,
        2 => MqttReasonCode.ClientIdentifierNotValid,
        3 => MqttReasonCode.ServerUnavailable,
        4 => MqttReasonCode.BadUserNameOrPassword,
        5 => MqttReasonCode.NotAuthorized,
        _ => throw new MqttProtocolException($"CONNACK return code {code} is reserved in MQTT 3.1.1."),
    };

    public static byte ToV311ReturnCode(MqttReasonCode code) => code switch
    {
        MqttReasonCode.Success => 0,
        MqttReasonCode.UnsupportedProtocolVersion => 1,
        MqttReasonCode.ClientIdentifierNotValid => 2,
        MqttReasonCode.ServerUnavailable => 3,
        MqttReasonCode.BadUserNameOrPassword => 4,
        MqttReasonCode.NotAuthorized => 5,
        _ => throw new MqttProtocolException($"Reason code {code} has no MQTT 3.1.1 CONNACK equivalent.", MqttReasonCode.ProtocolError),
    };
}
