namespace PvMonitor.Mqtt.Packets;

/// <summary>UNSUBSCRIBE: one or more topic filters to remove.</summary>
public sealed class UnsubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public ushort PacketId { get; set; }

    public IReadOnlyList<string> TopicFilters { get; set; } = [];

    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }
}
