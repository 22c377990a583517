using PvMonitor.Hosting.Options;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Ingest.Mqtt;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Hosting;

/// <summary>Maps the <c>Mqtt:*</c> keys onto the MQTT subscriber's options.</summary>
public static class MqttClientSettings
{
    /// <summary>
    /// Persistent session unless <c>Mqtt:CleanSession</c>, QoS 1 subscription to the topic pattern (as
    /// <c>$share/{Mqtt:SharedGroup}/…</c> when set), acknowledgement after the durable write: MQTT 5's receive maximum covers the
    /// client queue and everything the pipeline holds unacknowledged.
    /// </summary>
    public static MqttIngestOptions Create(MqttOptions m, IngestOptions ingest, PipelineOptions pipeline)
    {
        var topic = TopicPattern.Parse(ingest.TopicPattern).SubscriptionFilter;
        return new MqttIngestOptions
        {
            Host = m.Host,
            Port = m.Port,
            UseTls = m.Tls,
            CaCertificateFile = string.IsNullOrEmpty(m.CaFile) ? null : m.CaFile,
            ClientCertificateFile = string.IsNullOrEmpty(m.ClientCertFile) ? null : m.ClientCertFile,
            ClientKeyFile = string.IsNullOrEmpty(m.ClientKeyFile) ? null : m.ClientKeyFile,
            TlsServerName = string.IsNullOrEmpty(m.TlsServerName) ? null : m.TlsServerName,
            Username = string.IsNullOrEmpty(m.Username) ? null : m.Username,
            Password = string.IsNullOrEmpty(m.Password) ? null : m.Password,
            ClientId = m.ClientId,
            CleanSession = m.CleanSession,
            SessionExpirySeconds = m.SessionExpirySeconds,
            KeepAliveSeconds = m.KeepAliveSeconds,
            ProtocolVersion = m.ProtocolVersion,
            Filter = string.IsNullOrEmpty(m.SharedGroup) ? topic : $"$share/{m.SharedGroup}/{topic}",
            ReceiveQueueCapacity = m.ReceiveQueueCapacity,
            // Acknowledged after the durable write: everything the pipeline holds is unacknowledged too (MQTT 5 only).
            ReceiveMaximum = (int)Math.Min(ushort.MaxValue,
                (long)m.ReceiveQueueCapacity + pipeline.InputQueueCapacity + (long)pipeline.BatchesInFlight * pipeline.MaxBatchSize),
        };
    }
}
