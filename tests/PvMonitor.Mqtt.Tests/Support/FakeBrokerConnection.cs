using System.Buffers;
using System.IO.Pipelines;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Tests.Support;

/// <summary>The broker's end of one in-memory connection: decode what the client sent, send packets back, hang up.</summary>
public sealed class FakeBrokerConnection
{
    private readonly Pipe _fromClient;
    private readonly Pipe _toClient;
    private readonly MemoryChannel _clientEnd;
    private readonly MqttPacketDecoder _decoder;
    private readonly MqttProtocolVersion _version;

    internal FakeBrokerConnection(Pipe fromClient, Pipe toClient, MemoryChannel clientEnd, MqttProtocolVersion version)
    {
        _fromClient = fromClient;
        _toClient = toClient;
        _clientEnd = clientEnd;
        _version = version;
        _decoder = new MqttPacketDecoder(version);
    }

    /// <summary>The client disposed its end.</summary>
    public bool ClientClosed => _clientEnd.IsDisposed;

    /// <summary>The next packet from the client, or null when it closed the connection.</summary>
    public async Task<MqttPacket?> ReceiveAnyAsync(double timeoutSeconds = 10)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (true)
        {
            var result = await _fromClient.Reader.ReadAsync(cts.Token);
            var buffer = result.Buffer;
            if (_decoder.TryDecode(buffer, out var packet, out var consumed))
            {
                _fromClient.Reader.AdvanceTo(consumed);
                return packet;
            }

            if (result.IsCompleted)
            {
                _fromClient.Reader.AdvanceTo(buffer.End);
                return null;
            }

            _fromClient.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The next packet, which must be a <typeparamref name="T"/>.</summary>
    public async Task<T> ReceiveAsync<T>(double timeoutSeconds = 10)
        where T : MqttPacket
    {
        var packet = await ReceiveAnyAsync(timeoutSeconds);
        return packet.Should().BeOfType<T>().Subject;
    }

    /// <summary>Sends <paramref name="packet"/>; returns once the pipe accepted it (waits while the client is not reading).</summary>
    public async Task SendAsync(MqttPacket packet, CancellationToken cancellationToken = default)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(packet, _version, buffer);
        await SendRawAsync(buffer.WrittenMemory, cancellationToken);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        await _toClient.Writer.WriteAsync(bytes, cancellationToken);

    /// <summary>Hangs up like a broker that crashed.</summary>
    public void Drop()
    {
        _toClient.Writer.Complete();
        _fromClient.Reader.Complete();
    }
}
