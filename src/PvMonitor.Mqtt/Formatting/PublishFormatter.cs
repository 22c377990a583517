using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>PUBLISH (spec 3.3): flags in the fixed header, topic, packet id (QoS &gt; 0), [properties], payload.</summary>
internal static class PublishFormatter
{
    public static byte FirstByte(PublishPacket p)
    {
        var first = (byte)(0x30 | ((byte)p.QoS << 1));
        if (p.Dup) first |= 0x08;
        if (p.Retain) first |= 0x01;
        return first;
    }

    public static int GetRemainingLength(PublishPacket p, MqttProtocolVersion version, out int propertiesLength)
    {
        if (p.QoS > MqttQualityOfService.ExactlyOnce)
            throw new MqttProtocolException($"QoS {(byte)p.QoS} is invalid.", MqttReasonCode.ProtocolError);
        if (p.QoS == MqttQualityOfService.AtMostOnce && p.Dup)
            throw new MqttProtocolException("A QoS 0 PUBLISH cannot have the DUP flag.", MqttReasonCode.ProtocolError);
        if (p.QoS != MqttQualityOfService.AtMostOnce && p.PacketId == 0)
            throw new MqttProtocolException("A QoS 1/2 PUBLISH needs a non-zero packet identifier.", MqttReasonCode.ProtocolError);
        if (p.Topic.AsSpan().IndexOfAny('+', '#') >= 0)
            throw new MqttProtocolException($"Topic name '{p.Topic}' cannot contain wildcards.", MqttReasonCode.TopicNameInvalid);
        if (p.Topic.Length == 0 && (version != MqttProtocolVersion.V500 || p.TopicAlias is null))
            throw new MqttProtocolException("A PUBLISH needs a topic name.", MqttReasonCode.TopicNameInvalid);

        var length = 2 + MqttUtf8.GetByteCount(p.Topic) + (p.QoS == MqttQualityOfService.AtMostOnce ? 0 : 2) + p.Payload.Length;
        propertiesLength = 0;
        if (version == MqttProtocolVersion.V500)
        {
            propertiesLength = MqttPropertySize.Byte(p.PayloadFormatIndicator)
                + MqttPropertySize.UInt32(p.MessageExpiryInterval)
                + MqttPropertySize.UInt16(p.TopicAlias)
                + MqttPropertySize.String(p.ResponseTopic)
                + MqttPropertySize.Binary(p.CorrelationData)
                + MqttPropertySize.UserProperties(p.UserProperties)
                + MqttPropertySize.String(p.ContentType);
            if (p.SubscriptionIdentifiers is { } ids)
            {
                for (var i = 0; i < ids.Count; i++)
                    propertiesLength += MqttPropertySize.VariableByteInteger(ids[i]);
            }

            length += MqttPropertySize.Block(propertiesLength);
        }

        return length;
    }

    public static void Write(ref MqttWireWriter w, PublishPacket p, MqttProtocolVersion version, int propertiesLength)
    {
        w.WriteString(p.Topic);
        if (p.QoS != MqttQualityOfService.AtMostOnce)
            w.WriteUInt16(p.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            w.WriteVariableByteInteger(propertiesLength);
            w.WriteProperty(MqttPropertyId.PayloadFormatIndicator, p.PayloadFormatIndicator);
            w.WriteProperty(MqttPropertyId.MessageExpiryInterval, p.MessageExpiryInterval);
            w.WriteProperty(MqttPropertyId.ContentType, p.ContentType);
            w.WriteProperty(MqttPropertyId.ResponseTopic, p.ResponseTopic);
            w.WriteProperty(MqttPropertyId.CorrelationData, p.CorrelationData);
            if (p.SubscriptionIdentifiers is { } ids)
            {
                for (var i = 0; i < ids.Count; i++)
                    w.WriteVariableByteIntegerProperty(MqttPropertyId.SubscriptionIdentifier, ids[i]);
            }

            w.WriteProperty(MqttPropertyId.TopicAlias, p.TopicAlias);
            w.WriteUserProperties(p.UserProperties);
        }

        w.WriteBytes(p.Payload.Span);
    }

    /// <summary>Validates a PUBLISH body and returns spans into it. Allocation-free.</summary>
    public static MqttPublishView ReadView(ReadOnlySpan<byte> body, byte flags, MqttProtocolVersion version)
    {
        var qos = (flags >> 1) & 0x03;
        if (qos == 3)
            MqttThrow.Malformed("PUBLISH QoS 3 is invalid.");
        if (qos == 0 && (flags & 0x08) != 0)
            MqttThrow.Malformed("A QoS 0 PUBLISH cannot have the DUP flag.");

        var r = new MqttWireReader(body);
        var topic = r.ReadUtf8();
        if (topic.IndexOfAny((byte)'+', (byte)'#') >= 0)
            throw new MqttProtocolException("A PUBLISH topic name cannot contain wildcards.", MqttReasonCode.TopicNameInvalid);

        ushort packetId = 0;
        if (qos != 0)
        {
            packetId = r.ReadUInt16();
            if (packetId == 0)
                MqttThrow.ProtocolError("A QoS 1/2 PUBLISH has packet identifier 0.");
        }

        ReadOnlySpan<byte> properties = default;
        ushort topicAlias = 0;
        if (version == MqttProtocolVersion.V500)
        {
            var length = r.ReadVariableByteInteger();
            properties = r.ReadBytes(length);
            topicAlias = ValidateProperties(properties);
        }

        if (topic.IsEmpty && topicAlias == 0)
            throw new MqttProtocolException("A PUBLISH has an empty topic name and no topic alias.", MqttReasonCode.TopicNameInvalid);
        return new MqttPublishView(topic, r.ReadToEnd(), properties, flags, packetId, topicAlias);
    }

    public static PublishPacket Decode(ReadOnlySpan<byte> body, byte flags, MqttProtocolVersion version)
    {
        var view = ReadView(body, flags, version);
        var packet = new PublishPacket
        {
            Topic = System.Text.Encoding.UTF8.GetString(view.Topic),
            Payload = view.Payload.ToArray(),
            QoS = view.QoS,
            Dup = view.Dup,
            Retain = view.Retain,
            PacketId = view.PacketId,
        };
        if (view.Properties.IsEmpty)
            return packet;

        List<MqttUserProperty>? user = null;
        List<uint>? subscriptionIds = null;
        var props = MqttPropertyReader.FromBlock(view.Properties, MqttPropertySets.Publish);
        while (props.MoveNext())
        {
            switch (props.Id)
            {
                case MqttPropertyId.PayloadFormatIndicator: packet.PayloadFormatIndicator = (byte)props.Number; break;
                case MqttPropertyId.MessageExpiryInterval: packet.MessageExpiryInterval = props.Number; break;
                case MqttPropertyId.TopicAlias: packet.TopicAlias = (ushort)props.Number; break;
                case MqttPropertyId.ContentType: packet.ContentType = props.GetString(); break;
                case MqttPropertyId.ResponseTopic: packet.ResponseTopic = props.GetString(); break;
                case MqttPropertyId.CorrelationData: packet.CorrelationData = props.Bytes.ToArray(); break;
                case MqttPropertyId.SubscriptionIdentifier: (subscriptionIds ??= []).Add(props.Number); break;
                case MqttPropertyId.UserProperty: (user ??= []).Add(props.GetUserProperty()); break;
            }
        }

        packet.UserProperties = user;
        packet.SubscriptionIdentifiers = subscriptionIds;
        return packet;
    }

    private static ushort ValidateProperties(ReadOnlySpan<byte> block)
    {
        ushort alias = 0;
        var props = MqttPropertyReader.FromBlock(block, MqttPropertySets.Publish);
        while (props.MoveNext())
        {
            if (props.Id == MqttPropertyId.TopicAlias)
                alias = (ushort)props.Number;
        }

        return alias;
    }
}
