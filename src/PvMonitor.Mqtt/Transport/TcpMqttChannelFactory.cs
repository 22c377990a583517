namespace PvMonitor.Mqtt.Transport;

/// <summary>Makes <see cref="TcpMqttChannel"/>s from the connection settings of <see cref="MqttClientOptions"/>.</summary>
public sealed class TcpMqttChannelFactory : IMqttChannelFactory
{
    private readonly MqttClientOptions _options;
    private readonly Lazy<MqttTlsCertificates?> _certificates;

    public TcpMqttChannelFactory(MqttClientOptions options)
    {
        _options = options;
        // Certificates are read once, on the first connection attempt, and reused across reconnects.
        _certificates = new Lazy<MqttTlsCertificates?>(() => options.UseTls ? MqttTlsCertificates.Load(options) : null);
    }

    public IMqttChannel Create() => new TcpMqttChannel(_options.Host, _options.Port, _certificates.Value, _options.TlsServerName);
}
