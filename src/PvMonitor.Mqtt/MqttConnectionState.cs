namespace PvMonitor.Mqtt;

/// <summary>Where an <see cref="MqttClient"/> stands with its broker.</summary>
public enum MqttConnectionState
{
    /// <summary>Not started, or stopped by <see cref="MqttClient.DisconnectAsync"/>.</summary>
    Disconnected,

    /// <summary>The first connection is being made.</summary>
    Connecting,

    /// <summary>CONNACK accepted; messages flow.</summary>
    Connected,

    /// <summary>The connection was lost; retrying with backoff.</summary>
    Reconnecting,
}
