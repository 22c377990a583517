using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace PvMonitor.Mqtt.Transport;

/// <summary>A TCP connection, optionally wrapped in TLS (1.2 or 1.3, chosen by the OS).</summary>
public sealed class TcpMqttChannel : IMqttChannel
{
    private readonly string _host;
    private readonly int _port;
    private readonly MqttTlsCertificates? _tls;
    private readonly string? _tlsServerName;
    private Socket? _socket;
    private Stream? _stream;

    /// <param name="host">Broker host name or address.</param>
    /// <param name="port">Broker TCP port.</param>
    /// <param name="tls">TLS material, or null for plain TCP.</param>
    /// <param name="tlsServerName">Name the broker certificate must carry; default <paramref name="host"/>.</param>
    public TcpMqttChannel(string host, int port, MqttTlsCertificates? tls, string? tlsServerName = null)
    {
        _host = host;
        _port = port;
        _tls = tls;
        _tlsServerName = tlsServerName;
    }

    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            await socket.ConnectAsync(_host, _port, cancellationToken).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (_tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, chain, errors) => tls.ValidateServerCertificate(certificate, chain, errors));
                stream = ssl;
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = string.IsNullOrEmpty(_tlsServerName) ? _host : _tlsServerName,
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
    }
}
