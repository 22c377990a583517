namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>Where an <see cref="MqttIngestClient"/> stands.</summary>
public enum MqttConnectionState
{
    /// <summary>Not started, or stopped.</summary>
    Disconnected,

    /// <summary>Connecting or waiting to reconnect (each failure is in <see cref="MqttIngestHealth.LastError"/>).</summary>
    Connecting,

    /// <summary>The broker accepted the connection.</summary>
    Connected,
}
