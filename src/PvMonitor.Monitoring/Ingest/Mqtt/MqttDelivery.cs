using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>A received QoS 1 message's acknowledgement: a PUBACK with its packet id on the connection it arrived on.</summary>
internal sealed class MqttDelivery(MqttIngestConnection connection, ushort packetId) : IMessageAck
{
    public ValueTask AcknowledgeAsync()
    {
        connection.Acknowledge(packetId);
        return ValueTask.CompletedTask;
    }
}
