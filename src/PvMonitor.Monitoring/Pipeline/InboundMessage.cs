namespace PvMonitor.Monitoring.Pipeline;

/// <summary>
/// One telemetry message entering the pipeline: topic, raw payload and, for at-least-once sources (MQTT QoS 1), the
/// acknowledgement to send once its results are durable (<c>null</c> for sources that need none, e.g. QoS 0 or the demo's
/// simulated plant).
/// </summary>
/// <param name="Topic">The topic, e.g. <c>pv/plant1/inv1/S1/telemetry</c>.</param>
/// <param name="Payload">UTF-8 JSON payload; must stay unchanged until the message is acknowledged.</param>
/// <param name="Ack">Acknowledged after the durable write (<see cref="IMessageAck.AcknowledgeAsync"/>); null = nothing to acknowledge.</param>
public readonly record struct InboundMessage(string Topic, ReadOnlyMemory<byte> Payload, IMessageAck? Ack = null);
