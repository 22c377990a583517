using PvMonitor.Mqtt;

namespace PvMonitor.Monitoring.Pipeline;

/// <summary>
/// One telemetry message entering the pipeline: topic, raw payload and, for MQTT QoS 1, the delivery to acknowledge once its
/// results are durable (<c>default</c> for sources that need no acknowledgement, e.g. the demo's simulated plant).
/// </summary>
/// <param name="Topic">The topic, e.g. <c>pv/plant1/inv1/S1/telemetry</c>.</param>
/// <param name="Payload">UTF-8 JSON payload; must stay unchanged until the message is acknowledged.</param>
/// <param name="Delivery">The MQTT delivery acknowledged after the durable write (<see cref="MqttMessage.AckAsync"/>).</param>
public readonly record struct InboundMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttMessage Delivery = default)
{
    /// <summary>Wraps a received MQTT message.</summary>
    public static InboundMessage FromMqtt(MqttMessage message) => new(message.Topic, message.Payload, message);
}
