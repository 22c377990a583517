namespace PvMonitor.Monitoring.Pipeline;

/// <summary>
/// The acknowledgement of one received message, called by the pipeline once the message's results are durable (stored, or
/// spooled by the InfluxDB writer). The transport decides what it means: for MQTT QoS 1 a PUBACK on the connection the message
/// came in on. Implementations must not block and must not throw; an acknowledgement that can no longer be delivered (the
/// connection closed) is dropped, and the broker redelivers the message.
/// </summary>
public interface IMessageAck
{
    /// <summary>Acknowledges the message (queues the acknowledgement; does not wait for the network).</summary>
    ValueTask AcknowledgeAsync();
}
