namespace PvMonitor.Mqtt.Packets;

/// <summary>SUBACK: one code per requested filter (granted QoS, or a failure of 0x80 and above).</summary>
public sealed class SubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;

    public ushort PacketId { get; set; }

    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; set; } = [];

    public string? ReasonString { get; set; }

    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }
}
