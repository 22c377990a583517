namespace PvMonitor.Mqtt.Packets;

/// <summary>PINGRESP: the broker's answer to PINGREQ. It has no fields, so one instance serves all.</summary>
public sealed class PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingResp;
}
