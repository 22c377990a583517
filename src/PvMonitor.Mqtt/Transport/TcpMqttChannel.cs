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
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;
    private static bool s_quickAck = OperatingSystem.IsLinux();
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

    /// <summary>
    /// Reads, then (Linux) re-arms TCP_QUICKACK: mosquitto leaves Nagle on by default, so its small PUBACKs wait for our
    /// ACK, which delayed-ACK would hold for up to 40 ms. Measured with 16 QoS 1 publishes awaited per batch against a
    /// default mosquitto: 340 msg/s without, 11,000 with.
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await (_stream ?? throw new InvalidOperationException("The channel is not connected.")).ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (s_quickAck && _socket is { } socket)
            RequestQuickAck(socket);
        return read;
    }

    private static void RequestQuickAck(Socket socket)
    {
        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, [1, 0, 0, 0]);
        }
        catch (SocketException)
        {
            s_quickAck = false; // not supported here; delayed ACKs only cost latency
        }
        catch (ObjectDisposedException)
        {
            // closing
        }
    }

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
