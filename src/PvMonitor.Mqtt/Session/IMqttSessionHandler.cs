using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Session;

/// <summary>What a connection's read loop reports to the session that owns the in-flight state.</summary>
internal interface IMqttSessionHandler
{
    /// <summary>The broker acknowledged our QoS 1 PUBLISH <paramref name="packetId"/>.</summary>
    void OnPubAck(MqttConnection connection, ushort packetId, MqttReasonCode reasonCode);

    /// <summary>A SUBACK or UNSUBACK arrived.</summary>
    void OnRequestAnswered(MqttConnection connection, ushort packetId, MqttPacket answer);
}
