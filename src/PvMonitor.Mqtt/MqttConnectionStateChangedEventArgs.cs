namespace PvMonitor.Mqtt;

/// <summary>Raised on every change of <see cref="MqttClient.State"/>.</summary>
public sealed class MqttConnectionStateChangedEventArgs(MqttConnectionState previous, MqttConnectionState current, Exception? error) : EventArgs
{
    /// <summary>The state before the change.</summary>
    public MqttConnectionState Previous { get; } = previous;

    /// <summary>The state now.</summary>
    public MqttConnectionState Current { get; } = current;

    /// <summary>Why the connection was lost or refused; null for normal transitions.</summary>
    public Exception? Error { get; } = error;
}
