namespace PvMonitor.Mqtt.Packets;

/// <summary>SUBSCRIBE: one or more topic filters.</summary>
public sealed class SubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public ushort PacketId { get; set; }

    /// <summary>At least one filter.</summary>
    public IReadOnlyList<MqttTopicFilter> TopicFilters { get; set; } = [];

    /// <summary>MQTT 5: 1–268,435,455, echoed on matching PUBLISH packets.</summary>
    public uint? SubscriptionIdentifier { get; set; }

    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }
}
