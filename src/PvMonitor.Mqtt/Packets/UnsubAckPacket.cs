namespace PvMonitor.Mqtt.Packets;

/// <summary>UNSUBACK: confirms an UNSUBSCRIBE (MQTT 5 adds one reason code per filter).</summary>
public sealed class UnsubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    public ushort PacketId { get; set; }

    /// <summary>MQTT 5 only; empty on 3.1.1.</summary>
    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; set; } = [];

    public string? ReasonString { get; set; }

    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }
}
