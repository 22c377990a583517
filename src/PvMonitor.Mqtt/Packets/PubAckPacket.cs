namespace PvMonitor.Mqtt.Packets;

/// <summary>PUBACK: acknowledges a QoS 1 PUBLISH.</summary>
public sealed class PubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.PubAck;

    public ushort PacketId { get; set; }

    /// <summary>MQTT 5 only; always Success on 3.1.1.</summary>
    public MqttReasonCode ReasonCode { get; set; }

    public string? ReasonString { get; set; }

    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }
}
