namespace PvMonitor.Mqtt.Packets;

/// <summary>
/// A decoded MQTT control packet: plain data, no behaviour. Fields marked "MQTT 5" are ignored when encoding
/// for 3.1.1 and stay at their defaults when decoding 3.1.1.
/// </summary>
public abstract class MqttPacket
{
    /// <summary>The control packet type.</summary>
    public abstract MqttPacketType Type { get; }
}
