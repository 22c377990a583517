namespace PvMonitor.Mqtt.Transport;

/// <summary>Makes a fresh, unconnected channel for each connection attempt (tests substitute in-memory channels).</summary>
public interface IMqttChannelFactory
{
    /// <summary>A new channel; <see cref="IMqttChannel.ConnectAsync"/> has not been called yet.</summary>
    IMqttChannel Create();
}
