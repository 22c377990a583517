using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>CONNECT (spec 3.1): protocol name "MQTT", level, flags, keep-alive, [properties], client id, will, user name, password.</summary>
internal static class ConnectFormatter
{
    private static ReadOnlySpan<byte> ProtocolName => [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T'];

    public static int GetRemainingLength(ConnectPacket p, out int propertiesLength)
    {
        var v5 = p.ProtocolVersion == MqttProtocolVersion.V500;
        if (p.ProtocolVersion is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
            throw new MqttProtocolException($"Protocol level {(byte)p.ProtocolVersion} is not supported.", MqttReasonCode.UnsupportedProtocolVersion);
        if (!v5 && p.Password is not null && p.Username is null)
            throw new MqttProtocolException("MQTT 3.1.1 does not allow a password without a user name.", MqttReasonCode.ProtocolError);
        if (p.WillQoS > MqttQualityOfService.ExactlyOnce)
            throw new MqttProtocolException($"Will QoS {(byte)p.WillQoS} is invalid.", MqttReasonCode.ProtocolError);

        propertiesLength = 0;
        var length = 10 + 2 + MqttUtf8.GetByteCount(p.ClientId);
        if (v5)
        {
            propertiesLength = MqttPropertySize.UInt32(p.SessionExpiryInterval == 0 ? null : p.SessionExpiryInterval)
                + MqttPropertySize.UInt16(p.ReceiveMaximum)
                + MqttPropertySize.UInt32(p.MaximumPacketSize)
                + MqttPropertySize.UInt16(p.TopicAliasMaximum)
                + MqttPropertySize.Boolean(p.RequestProblemInformation)
                + MqttPropertySize.UserProperties(p.UserProperties);
            length += MqttPropertySize.Block(propertiesLength);
        }

        if (p.WillTopic is not null)
        {
            length += (v5 ? 1 : 0) + 2 + MqttUtf8.GetByteCount(p.WillTopic) + 2 + CheckedBinaryLength(p.WillPayload);
        }

        if (p.Username is not null)
            length += 2 + MqttUtf8.GetByteCount(p.Username);
        if (p.Password is not null)
            length += 2 + CheckedBinaryLength(p.Password);
        return length;
    }

    public static void Write(ref MqttWireWriter w, ConnectPacket p, int propertiesLength)
    {
        var v5 = p.ProtocolVersion == MqttProtocolVersion.V500;
        w.WriteBytes(ProtocolName);
        w.WriteByte((byte)p.ProtocolVersion);
        byte flags = 0;
        if (p.Username is not null) flags |= 0x80;
        if (p.Password is not null) flags |= 0x40;
        if (p.WillTopic is not null)
        {
            flags |= 0x04;
            flags |= (byte)((byte)p.WillQoS << 3);
            if (p.WillRetain) flags |= 0x20;
        }

        if (p.CleanSession) flags |= 0x02;
        w.WriteByte(flags);
        w.WriteUInt16(p.KeepAliveSeconds);
        if (v5)
        {
            w.WriteVariableByteInteger(propertiesLength);
            w.WriteProperty(MqttPropertyId.SessionExpiryInterval, p.SessionExpiryInterval == 0 ? null : p.SessionExpiryInterval);
            w.WriteProperty(MqttPropertyId.RequestProblemInformation, p.RequestProblemInformation);
            w.WriteProperty(MqttPropertyId.ReceiveMaximum, p.ReceiveMaximum);
            w.WriteProperty(MqttPropertyId.TopicAliasMaximum, p.TopicAliasMaximum);
            w.WriteUserProperties(p.UserProperties);
            w.WriteProperty(MqttPropertyId.MaximumPacketSize, p.MaximumPacketSize);
        }

        w.WriteString(p.ClientId);
        if (p.WillTopic is not null)
        {
            if (v5)
                w.WriteVariableByteInteger(0); // no will properties
            w.WriteString(p.WillTopic);
            w.WriteBinary(p.WillPayload);
        }

        if (p.Username is not null)
            w.WriteString(p.Username);
        if (p.Password is not null)
            w.WriteBinary(p.Password);
    }

    public static ConnectPacket Decode(ReadOnlySpan<byte> body, byte flags)
    {
        if (flags != 0)
            MqttThrow.Malformed("CONNECT fixed-header flags must be 0.");
        var r = new MqttWireReader(body);
        if (!r.ReadBytes(6).SequenceEqual(ProtocolName))
            MqttThrow.ProtocolError("CONNECT does not name the protocol \"MQTT\".");
        var level = r.ReadByte();
        if (level is not (4 or 5))
            throw new MqttProtocolException($"Protocol level {level} is not supported.", MqttReasonCode.UnsupportedProtocolVersion);
        var v5 = level == 5;
        var connectFlags = r.ReadByte();
        if ((connectFlags & 0x01) != 0)
            MqttThrow.Malformed("The reserved CONNECT flag must be 0.");
        var will = (connectFlags & 0x04) != 0;
        var willQoS = (connectFlags >> 3) & 0x03;
        var willRetain = (connectFlags & 0x20) != 0;
        if (willQoS == 3 || (!will && (willQoS != 0 || willRetain)))
            MqttThrow.Malformed("The CONNECT will flags are inconsistent.");
        var hasUser = (connectFlags & 0x80) != 0;
        var hasPassword = (connectFlags & 0x40) != 0;
        if (!v5 && hasPassword && !hasUser)
            MqttThrow.Malformed("MQTT 3.1.1 does not allow a password without a user name.");

        var packet = new ConnectPacket
        {
            ProtocolVersion = (MqttProtocolVersion)level,
            CleanSession = (connectFlags & 0x02) != 0,
            KeepAliveSeconds = r.ReadUInt16(),
        };
        if (v5)
        {
            List<MqttUserProperty>? user = null;
            var props = MqttPropertyReader.Read(ref r, MqttPropertySets.Connect);
            while (props.MoveNext())
            {
                switch (props.Id)
                {
                    case MqttPropertyId.SessionExpiryInterval: packet.SessionExpiryInterval = props.Number; break;
                    case MqttPropertyId.ReceiveMaximum: packet.ReceiveMaximum = (ushort)props.Number; break;
                    case MqttPropertyId.MaximumPacketSize: packet.MaximumPacketSize = props.Number; break;
                    case MqttPropertyId.TopicAliasMaximum: packet.TopicAliasMaximum = (ushort)props.Number; break;
                    case MqttPropertyId.RequestProblemInformation: packet.RequestProblemInformation = props.GetBoolean(); break;
                    case MqttPropertyId.UserProperty: (user ??= []).Add(props.GetUserProperty()); break;
                }
            }

            packet.UserProperties = user;
        }

        packet.ClientId = r.ReadString();
        if (will)
        {
            if (v5)
            {
                var willProps = MqttPropertyReader.Read(ref r, MqttPropertySets.Will);
                while (willProps.MoveNext())
                {
                }
            }

            packet.WillTopic = r.ReadString();
            packet.WillPayload = r.ReadBinary().ToArray();
            packet.WillQoS = (MqttQualityOfService)willQoS;
            packet.WillRetain = willRetain;
        }

        if (hasUser)
            packet.Username = r.ReadString();
        if (hasPassword)
            packet.Password = r.ReadBinary().ToArray();
        r.EnsureEnd();
        return packet;
    }

    private static int CheckedBinaryLength(byte[] data) => data.Length <= ushort.MaxValue
        ? data.Length
        : throw new MqttProtocolException($"Binary data of {data.Length} bytes exceeds 65,535.");
}
