using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>UNSUBSCRIBE (spec 3.10): packet id, [properties], filters.</summary>
internal static class UnsubscribeFormatter
{
    public static int GetRemainingLength(UnsubscribePacket p, MqttProtocolVersion version, out int propertiesLength)
    {
        PubAckFormatter.RequirePacketId(p.PacketId);
        if (p.TopicFilters.Count == 0)
            throw new MqttProtocolException("An UNSUBSCRIBE needs at least one topic filter.", MqttReasonCode.ProtocolError);
        var length = 2;
        for (var i = 0; i < p.TopicFilters.Count; i++)
        {
            if (p.TopicFilters[i].Length == 0)
                throw new MqttProtocolException("A topic filter cannot be empty.", MqttReasonCode.TopicFilterInvalid);
            length += 2 + MqttUtf8.GetByteCount(p.TopicFilters[i]);
        }

        propertiesLength = 0;
        if (version == MqttProtocolVersion.V500)
        {
            propertiesLength = MqttPropertySize.UserProperties(p.UserProperties);
            length += MqttPropertySize.Block(propertiesLength);
        }

        return length;
    }

    public static void Write(ref MqttWireWriter w, UnsubscribePacket p, MqttProtocolVersion version, int propertiesLength)
    {
        w.WriteUInt16(p.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            w.WriteVariableByteInteger(propertiesLength);
            w.WriteUserProperties(p.UserProperties);
        }

        for (var i = 0; i < p.TopicFilters.Count; i++)
            w.WriteString(p.TopicFilters[i]);
    }

    public static UnsubscribePacket Decode(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttWireReader(body);
        var packet = new UnsubscribePacket { PacketId = PubAckFormatter.ReadPacketId(ref r) };
        if (version == MqttProtocolVersion.V500)
        {
            List<MqttUserProperty>? user = null;
            var props = MqttPropertyReader.Read(ref r, MqttPropertySets.Unsubscribe);
            while (props.MoveNext())
                (user ??= []).Add(props.GetUserProperty());
            packet.UserProperties = user;
        }

        var filters = new List<string>();
        while (!r.End)
        {
            var filter = r.ReadString();
            if (filter.Length == 0)
                MqttThrow.Malformed("A topic filter cannot be empty.");
            filters.Add(filter);
        }

        if (filters.Count == 0)
            MqttThrow.ProtocolError("An UNSUBSCRIBE has no topic filter.");
        packet.TopicFilters = filters;
        return packet;
    }
}
