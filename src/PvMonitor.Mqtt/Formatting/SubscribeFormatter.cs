using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>SUBSCRIBE (spec 3.8): packet id, [properties], then (filter, options byte) pairs.</summary>
internal static class SubscribeFormatter
{
    public static int GetRemainingLength(SubscribePacket p, MqttProtocolVersion version, out int propertiesLength)
    {
        PubAckFormatter.RequirePacketId(p.PacketId);
        if (p.TopicFilters.Count == 0)
            throw new MqttProtocolException("A SUBSCRIBE needs at least one topic filter.", MqttReasonCode.ProtocolError);
        var length = 2;
        for (var i = 0; i < p.TopicFilters.Count; i++)
        {
            var filter = p.TopicFilters[i];
            if (filter.Filter.Length == 0)
                throw new MqttProtocolException("A topic filter cannot be empty.", MqttReasonCode.TopicFilterInvalid);
            if (filter.QoS > MqttQualityOfService.ExactlyOnce || filter.RetainHandling > MqttRetainHandling.DoNotSend)
                throw new MqttProtocolException($"The options of '{filter.Filter}' are invalid.", MqttReasonCode.ProtocolError);
            length += 3 + MqttUtf8.GetByteCount(filter.Filter);
        }

        propertiesLength = 0;
        if (version == MqttProtocolVersion.V500)
        {
            propertiesLength = MqttPropertySize.VariableByteInteger(p.SubscriptionIdentifier) + MqttPropertySize.UserProperties(p.UserProperties);
            length += MqttPropertySize.Block(propertiesLength);
        }

        return length;
    }

    public static void Write(ref MqttWireWriter w, SubscribePacket p, MqttProtocolVersion version, int propertiesLength)
    {
        w.WriteUInt16(p.PacketId);
        var v5 = version == MqttProtocolVersion.V500;
        if (v5)
        {
            w.WriteVariableByteInteger(propertiesLength);
            w.WriteVariableByteIntegerProperty(MqttPropertyId.SubscriptionIdentifier, p.SubscriptionIdentifier);
            w.WriteUserProperties(p.UserProperties);
        }

        for (var i = 0; i < p.TopicFilters.Count; i++)
        {
            var filter = p.TopicFilters[i];
            w.WriteString(filter.Filter);
            var options = (byte)filter.QoS;
            if (v5)
            {
                if (filter.NoLocal) options |= 0x04;
                if (filter.RetainAsPublished) options |= 0x08;
                options |= (byte)((byte)filter.RetainHandling << 4);
            }

            w.WriteByte(options);
        }
    }

    public static SubscribePacket Decode(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttWireReader(body);
        var packet = new SubscribePacket { PacketId = PubAckFormatter.ReadPacketId(ref r) };
        var v5 = version == MqttProtocolVersion.V500;
        if (v5)
        {
            List<MqttUserProperty>? user = null;
            var props = MqttPropertyReader.Read(ref r, MqttPropertySets.Subscribe);
            while (props.MoveNext())
            {
                if (props.Id == MqttPropertyId.SubscriptionIdentifier)
                    packet.SubscriptionIdentifier = props.Number;
                else
                    (user ??= []).Add(props.GetUserProperty());
            }

            packet.UserProperties = user;
        }

        var filters = new List<MqttTopicFilter>();
        while (!r.End)
        {
            var filter = r.ReadString();
            if (filter.Length == 0)
                MqttThrow.Malformed("A topic filter cannot be empty.");
            var options = r.ReadByte();
            var qos = options & 0x03;
            var retainHandling = (options >> 4) & 0x03;
            if (qos == 3 || (options & (v5 ? 0xC0 : 0xFC)) != 0 || retainHandling == 3)
                MqttThrow.Malformed($"The subscription options byte 0x{options:X2} is invalid.");
            filters.Add(new MqttTopicFilter(filter, (MqttQualityOfService)qos)
            {
                NoLocal = (options & 0x04) != 0,
                RetainAsPublished = (options & 0x08) != 0,
                RetainHandling = (MqttRetainHandling)retainHandling,
            });
        }

        if (filters.Count == 0)
            MqttThrow.ProtocolError("A SUBSCRIBE has no topic filter.");
        packet.TopicFilters = filters;
        return packet;
    }
}
