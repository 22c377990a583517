using System.IO.Pipelines;
using System.Threading.Channels;
using PvMonitor.Mqtt.Transport;

namespace PvMonitor.Mqtt.Tests.Support;

/// <summary>
/// A scripted broker for session tests: every connection the client opens shows up in <see cref="AcceptAsync"/>,
/// and the test reads the client's packets and answers them itself. <see cref="RefuseConnections"/> makes
/// connection attempts fail like a broker that is down.
/// </summary>
public sealed class FakeBroker : IMqttChannelFactory
{
    private readonly Channel<FakeBrokerConnection> _accepted = Channel.CreateUnbounded<FakeBrokerConnection>();
    private readonly MqttProtocolVersion _version;
    private readonly long _pipeThreshold;
    private int _attempts;

    public FakeBroker(MqttProtocolVersion version = MqttProtocolVersion.V311, long pipeThreshold = 64 * 1024)
    {
        _version = version;
        _pipeThreshold = pipeThreshold;
    }

    /// <summary>When true, connection attempts throw like a refused TCP connect.</summary>
    public bool RefuseConnections { get; set; }

    /// <summary>Connection attempts so far, refused ones included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public IMqttChannel Create()
    {
        var options = new PipeOptions(pauseWriterThreshold: _pipeThreshold, resumeWriterThreshold: _pipeThreshold / 2, useSynchronizationContext: false);
        var toBroker = new Pipe(options);
        var toClient = new Pipe(options);
        MemoryChannel? channel = null;
        channel = new MemoryChannel(toBroker, toClient, _ =>
        {
            Interlocked.Increment(ref _attempts);
            if (RefuseConnections)
                throw new IOException("Connection refused (fake broker is down).");
            _accepted.Writer.TryWrite(new FakeBrokerConnection(toBroker, toClient, channel!, _version));
            return ValueTask.CompletedTask;
        });
        return channel;
    }

    /// <summary>The next connection the client opened.</summary>
    public async Task<FakeBrokerConnection> AcceptAsync(double timeoutSeconds = 10) =>
        await _accepted.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));

    /// <summary>Accepts the next connection, reads its CONNECT and answers with CONNACK.</summary>
    public async Task<(FakeBrokerConnection Connection, Packets.ConnectPacket Connect)> AcceptAndAckAsync(bool sessionPresent = false,
        Packets.ConnAckPacket? connAck = null)
    {
        var connection = await AcceptAsync();
        var connect = await connection.ReceiveAsync<Packets.ConnectPacket>();
        await connection.SendAsync(connAck ?? new Packets.ConnAckPacket { SessionPresent = sessionPresent });
        return (connection, connect);
    }
}
