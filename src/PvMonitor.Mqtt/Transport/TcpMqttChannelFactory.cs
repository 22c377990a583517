namespace PvMonitor.Mqtt.Transport;

/// <summary>Makes <see cref="TcpMqttChannel"/>s from the connection settings of <see cref="MqttClientOptions"/>.</summary>
public sealed class TcpMqttChannelFactory(MqttClientOptions options) : IMqttChannelFactory
{
    public IMqttChannel Create() => new TcpMqttChannel(options);
}
