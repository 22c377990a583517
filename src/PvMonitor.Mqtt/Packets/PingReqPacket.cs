namespace PvMonitor.Mqtt.Packets;

/// <summary>PINGREQ: keep-alive probe from the client. It has no fields, so one instance serves all.</summary>
public sealed class PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingReq;
}
