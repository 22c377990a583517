using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>
/// Opens the TCP connection for MQTTnet (its stream-provider extension point) as a <see cref="BufferedSocketStream"/>, and
/// keeps it so the connection can gather a run of PUBACKs into one send. One provider per connection attempt.
/// </summary>
internal sealed class MqttSocketStreamProvider : IMqttClientStreamProvider
{
    /// <summary>The stream of the last successful connect, or null.</summary>
    public BufferedSocketStream? Stream { get; private set; }

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return Stream = new BufferedSocketStream(socket);
    }
}
