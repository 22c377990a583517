using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace PvMonitor.Mqtt.Transport;

/// <summary>
/// A TCP connection, optionally wrapped in TLS (1.2 or 1.3, chosen by the OS). Certificate files are read on every
/// connect, so renewed certificates are picked up at the next reconnect without a restart.
/// </summary>
public sealed class TcpMqttChannel : IMqttChannel
{
    private readonly MqttClientOptions _options;
    private Socket? _socket;
    private Stream? _stream;
    private MqttTlsCertificates? _certificates;

    /// <param name="options">Host, port and TLS settings.</param>
    public TcpMqttChannel(MqttClientOptions options)
    {
        _options = options;
    }

    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var tls = _certificates = _options.UseTls ? MqttTlsCertificates.Load(_options) : null;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            await socket.ConnectAsync(_options.Host, _options.Port, cancellationToken).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, chain, errors) => tls.ValidateServerCertificate(certificate, chain, errors));
                stream = ssl;
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = string.IsNullOrEmpty(_options.TlsServerName) ? _options.Host : _options.TlsServerName,
                    EnabledSslProtocols = SslProtocols.None, // let the OS pick TLS 1.2/1.3
                };
                if (tls.ClientCertificate is { } clientCertificate)
                    options.ClientCertificates = [clientCertificate];
                await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            }

            _socket = socket;
            _stream = stream;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        (_stream ?? throw new InvalidOperationException("The channel is not connected.")).ReadAsync(buffer, cancellationToken);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        (_stream ?? throw new InvalidOperationException("The channel is not connected.")).WriteAsync(data, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        var stream = Interlocked.Exchange(ref _stream, null);
        if (stream is not null)
            await stream.DisposeAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _socket, null)?.Dispose();
        Interlocked.Exchange(ref _certificates, null)?.Dispose();
    }
}
