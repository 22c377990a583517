namespace PvMonitor.Mqtt;

/// <summary>MQTT delivery guarantee of a message or subscription.</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: fire and forget; may be lost.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: acknowledged with PUBACK; may be delivered more than once.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: four-step handshake. Decoded on the wire but not used by <see cref="MqttClient"/>.</summary>
    ExactlyOnce = 2,
}
