using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Transport;

namespace PvMonitor.Mqtt.Session;

/// <summary>
/// One network connection, from CONNECT to close: a read loop (decode, hand PUBLISH to the bounded receive queue,
/// report acks), a write loop (batch queued packets into one socket write), and a keep-alive loop. The first failure
/// of any loop closes the connection and completes <see cref="Closed"/> with the cause; the session then reconnects
/// with a new instance. Everything tied to this connection (packet ids awaiting our PUBACK) dies with it.
/// </summary>
internal sealed partial class MqttConnection : IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;
    private const int WriteBatchBytes = 64 * 1024;

    /// <summary>Bytes of an oversized PUBLISH needed to name it: topic length, topic, packet id.</summary>
    private const int OversizedPrefix = 2 + ushort.MaxValue + 2;

    private readonly IMqttChannel _channel;
    private readonly MqttClientOptions _options;
    private readonly MqttPacketDecoder _decoder;
    private readonly MqttReadBuffer _readBuffer;
    private readonly ArrayBufferWriter<byte> _writeBuffer = new(4096);
    private readonly Channel<OutgoingPacket> _outgoing =
        Channel.CreateUnbounded<OutgoingPacket>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly ChannelWriter<MqttMessage> _received;
    private readonly IMqttSessionHandler _handler;
    private readonly TopicNameCache _topics;
    private readonly MqttClientCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<ushort, long> _awaitingAck = [];
    private readonly Lock _ackGate = new();
    private KeepAliveMonitor? _keepAlive;
    private Task _loops = Task.CompletedTask;
    private long _deliveries;
    private long _discardRemaining;
    private volatile bool _readPaused;

    private MqttConnection(IMqttChannel channel, MqttClientOptions options, ChannelWriter<MqttMessage> received, IMqttSessionHandler handler,
        TopicNameCache topics, MqttClientCounters counters, TimeProvider time, ILogger logger)
    {
        _channel = channel;
        _options = options;
        _decoder = new MqttPacketDecoder(options.ProtocolVersion, options.MaxPacketSize);
        _readBuffer = new MqttReadBuffer(Math.Min(ReadBufferSize, options.MaxPacketSize));
        _received = received;
        _handler = handler;
        _topics = topics;
        _counters = counters;
        _time = time;
        _logger = logger;
    }

    public MqttProtocolVersion Version => _options.ProtocolVersion;

    /// <summary>The broker's CONNACK (set once the handshake succeeded).</summary>
    public ConnAckPacket ConnAck { get; private set; } = new();

    /// <summary>Largest packet the broker accepts (MQTT 5 CONNACK), in bytes; int.MaxValue when it set none.</summary>
    public int MaxOutgoingPacketSize => ConnAck.MaximumPacketSize is { } max ? (int)Math.Min(max, int.MaxValue) : int.MaxValue;

    /// <summary>Completes (never faults) with the reason the connection ended.</summary>
    public Task<Exception> Closed => _closed.Task;

    /// <summary>The receive queue is full, so the socket is not being read (back-pressure).</summary>
    public bool IsReadPaused => _readPaused;

    /// <summary>Opens the channel, sends CONNECT and waits for an accepting CONNACK, all within the connect timeout.</summary>
    /// <exception cref="MqttConnectException">The broker refused the connection.</exception>
    /// <exception cref="MqttCommunicationException">The network failed or the timeout passed.</exception>
    public static async Task<MqttConnection> OpenAsync(IMqttChannelFactory factory, MqttClientOptions options, ChannelWriter<MqttMessage> received,
        IMqttSessionHandler handler, TopicNameCache topics, MqttClientCounters counters, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = new MqttConnection(factory.Create(), options, received, handler, topics, counters, time, logger);
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await connection._channel.ConnectAsync(linked.Token).ConfigureAwait(false);
            await connection.HandshakeAsync(linked.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                throw new MqttCommunicationException($"No CONNACK from {options.Host}:{options.Port} within {options.ConnectTimeout.TotalSeconds:0.###} s.", ex);
            if (ex is MqttException or OperationCanceledException)
                throw;
            throw new MqttCommunicationException($"Could not connect to {options.Host}:{options.Port}: {ex.Message}", ex);
        }
    }

    /// <summary>Starts the read, write and keep-alive loops. Call once, after <see cref="OpenAsync"/>.</summary>
    public void Start()
    {
        var keepAlive = TimeSpan.FromSeconds(ConnAck.ServerKeepAlive ?? _options.KeepAliveSeconds);
        _keepAlive = new KeepAliveMonitor(keepAlive, _options.PingTimeout, _time.TimestampFrequency, _time.GetTimestamp());
        var token = _cts.Token;
        _loops = Task.WhenAll(
            RunLoopAsync(() => ReadLoopAsync(token)),
            RunLoopAsync(() => WriteLoopAsync(token)),
            RunLoopAsync(() => KeepAliveLoopAsync(keepAlive, token)));
    }

    /// <summary>Queues a packet for the write loop. False when the connection has closed.</summary>
    public bool Send(in OutgoingPacket packet) => _outgoing.Writer.TryWrite(packet);

    /// <summary>True while <paramref name="packetId"/> of delivery <paramref name="delivery"/> still waits for the application's ack.</summary>
    public bool IsAwaitingAck(ushort packetId, long delivery)
    {
        lock (_ackGate)
            return _awaitingAck.TryGetValue(packetId, out var pending) && pending == delivery;
    }

    /// <summary>Queues the PUBACK of a received QoS 1 message, unless it was acked already or this connection closed.</summary>
    public bool Acknowledge(ushort packetId, long delivery)
    {
        lock (_ackGate)
        {
            if (!_awaitingAck.TryGetValue(packetId, out var pending) || pending != delivery)
            {
                Interlocked.Increment(ref _counters.StaleAcks);
                return false;
            }

            _awaitingAck.Remove(packetId);
        }

        if (Send(OutgoingPacket.PubAck(packetId)))
            return true;
        Interlocked.Increment(ref _counters.StaleAcks);
        return false;
    }

    /// <summary>Sends DISCONNECT (waiting at most <paramref name="timeout"/> for it to be written), then closes.</summary>
    public async Task DisconnectAsync(TimeSpan timeout)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Send(OutgoingPacket.Of(new DisconnectPacket(), written)))
        {
            try
            {
                await written.Task.WaitAsync(timeout, _time).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or MqttException or OperationCanceledException)
            {
                // closing anyway
            }
        }

        Abort(new MqttCommunicationException("The client disconnected."));
    }

    /// <summary>Closes the connection (first reason wins) and stops the loops.</summary>
    public void Abort(Exception reason)
    {
        if (!_closed.TrySetResult(reason))
            return;
        _outgoing.Writer.TryComplete();
        lock (_ackGate)
            _awaitingAck.Clear();
        _cts.Cancel();
        _ = _channel.DisposeAsync().AsTask().ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        Abort(new MqttCommunicationException("The connection was disposed."));
        await _loops.ConfigureAwait(false);
        await _channel.DisposeAsync().ConfigureAwait(false);
        while (_outgoing.Reader.TryRead(out var pending))
            pending.Written?.TrySetException(new MqttCommunicationException("The connection closed before the packet was sent."));
        _readBuffer.Dispose();
        _cts.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var connect = new ConnectPacket
        {
            ProtocolVersion = _options.ProtocolVersion,
            ClientId = _options.ClientId,
            CleanSession = _options.CleanSession,
            KeepAliveSeconds = (ushort)_options.KeepAliveSeconds,
            Username = _options.Username,
            Password = _options.Password is null ? null : Encoding.UTF8.GetBytes(_options.Password),
            WillTopic = _options.WillTopic,
            WillPayload = _options.WillTopic is null ? [] : Encoding.UTF8.GetBytes(_options.WillPayload),
            WillQoS = _options.WillQoS,
            WillRetain = _options.WillRetain,
        };
        if (_options.ProtocolVersion == MqttProtocolVersion.V500)
        {
            connect.SessionExpiryInterval = _options.CleanSession ? 0 : _options.SessionExpirySeconds;
            connect.ReceiveMaximum = (ushort)Math.Min(_options.ReceiveMaximum ?? _options.ReceiveQueueCapacity, ushort.MaxValue);
            connect.MaximumPacketSize = (uint)_options.MaxPacketSize;
        }

        MqttPacketEncoder.Encode(connect, _options.ProtocolVersion, _writeBuffer);
        await _channel.WriteAsync(_writeBuffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _writeBuffer.ResetWrittenCount();

        while (!TryTakeConnAck())
        {
            var read = await _channel.ReadAsync(_readBuffer.GetFreeMemory(PendingFrameLength()), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new MqttCommunicationException("The broker closed the connection before sending CONNACK.");
            _readBuffer.Commit(read);
        }

        if ((byte)ConnAck.ReasonCode >= 0x80)
            throw new MqttConnectException(ConnAck.ReasonCode, ConnAck.ReasonString);
    }

    private bool TryTakeConnAck()
    {
        var data = _readBuffer.Data;
        if (!_decoder.TryReadHeader(data, out var header) || data.Length < header.FrameLength)
            return false;
        if (header.Type != MqttPacketType.ConnAck)
            throw new MqttProtocolException($"The broker sent {header.Type} before CONNACK.", MqttReasonCode.ProtocolError);
        ConnAck = (ConnAckPacket)_decoder.Decode(header, data.Slice(header.HeaderLength, header.RemainingLength));
        _readBuffer.Consume(header.FrameLength);
        return true;
    }

    private async Task RunLoopAsync(Func<Task> loop)
    {
        try
        {
            await Task.Run(loop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            // closed by Abort; the first reason is already recorded
        }
        catch (MqttException ex)
        {
            Abort(ex);
        }
        catch (Exception ex)
        {
            Abort(new MqttCommunicationException($"The connection to the broker was lost: {ex.Message}", ex));
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _outgoing.Reader;
        var written = new List<TaskCompletionSource>();
        var keepAlive = _keepAlive!;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_writeBuffer.WrittenCount < WriteBatchBytes && reader.TryRead(out var item))
            {
                switch (item.Kind)
                {
                    case OutgoingKind.PubAck: MqttPacketEncoder.WritePubAck(_writeBuffer, item.PacketId); break;
                    case OutgoingKind.PingReq: MqttPacketEncoder.WritePingReq(_writeBuffer); break;
                    default: MqttPacketEncoder.Encode(item.Packet!, Version, _writeBuffer, MaxOutgoingPacketSize); break;
                }

                if (item.Written is { } done)
                    written.Add(done);
            }

            try
            {
                await _channel.WriteAsync(_writeBuffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var done in written)
                    done.TrySetException(new MqttCommunicationException("The connection failed while sending.", ex));
                throw;
            }

            _writeBuffer.ResetWrittenCount();
            keepAlive.OnSent(_time.GetTimestamp());
            foreach (var done in written)
                done.TrySetResult();
            written.Clear();
        }
    }

    private async Task KeepAliveLoopAsync(TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var monitor = _keepAlive!;
        if (!monitor.Enabled)
            return;
        // Check often enough to ping well within 3/4 of the keep-alive and to notice a dead peer promptly.
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(keepAlive.TotalMilliseconds / 10, 50, 1000));
        while (true)
        {
            await Task.Delay(tick, _time, cancellationToken).ConfigureAwait(false);
            switch (monitor.Evaluate(_time.GetTimestamp()))
            {
                case KeepAliveAction.SendPing:
                    Send(OutgoingPacket.Ping);
                    break;
                case KeepAliveAction.PeerDead:
                    MqttLog.PeerDead(_logger, _options.PingTimeout.TotalSeconds);
                    throw new MqttCommunicationException(
                        $"The broker did not answer a PINGREQ within {_options.PingTimeout.TotalSeconds:0.###} s; the connection is considered dead.");
            }
        }
    }
}
