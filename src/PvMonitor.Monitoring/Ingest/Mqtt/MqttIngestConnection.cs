using System.Buffers;
using System.Text;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.LowLevelClient;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>
/// One accepted connection on MQTTnet's low-level client. Three loops: the reader takes the next packet off the socket only
/// after the previous message found room in the bounded receive queue (so a full pipeline stops socket reads and the broker
/// keeps the backlog); the sender writes PUBACKs and PINGREQs in the order they were queued (one writer, no lock); the
/// keep-alive loop queues a PINGREQ every half keep-alive and ends the connection when nothing arrives for 1.5 keep-alives
/// while the reader is waiting. An acknowledgement queued after the connection ended is dropped (counted as stale): the
/// broker redelivers that message on the next connection.
/// </summary>
internal sealed class MqttIngestConnection
{
    private const ushort PingMarker = 0; // never a QoS 1 packet id
    private static readonly MqttPingReqPacket PingReq = new();

    private readonly ILowLevelMqttClient _client;
    private readonly BufferedSocketStream? _stream;
    private readonly MqttIngestClient _owner;
    private readonly TimeProvider _time;
    private readonly TimeSpan _keepAlive;
    private readonly Channel<ushort> _outgoing = Channel.CreateUnbounded<ushort>(new UnboundedChannelOptions { SingleReader = true });
    private long _readingSince = -1;

    private MqttIngestConnection(ILowLevelMqttClient client, BufferedSocketStream? stream, MqttIngestClient owner, TimeProvider time, TimeSpan keepAlive,
        bool sessionPresent)
    {
        _client = client;
        _stream = stream;
        _owner = owner;
        _time = time;
        _keepAlive = keepAlive;
        SessionPresent = sessionPresent;
    }

    public bool SessionPresent { get; }

    /// <summary>TCP/TLS connect, CONNECT/CONNACK and SUBSCRIBE (its SUBACK is read by the reader loop).</summary>
    /// <exception cref="MqttConnectRefusedException">The broker refused us.</exception>
    /// <exception cref="TimeoutException">No CONNACK within <see cref="MqttIngestOptions.ConnectTimeout"/>.</exception>
    public static async Task<MqttIngestConnection> OpenAsync(MqttIngestOptions options, MqttClientFactory factory, MqttIngestClient owner, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var mqtt5 = options.ProtocolVersion == 5;
        var streams = new MqttSocketStreamProvider();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithStreamProvider(streams)
            .WithProtocolVersion(mqtt5 ? MQTTnet.Formatter.MqttProtocolVersion.V500 : MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTimeout(options.ConnectTimeout);
        if (options.UseTls) builder.WithTlsOptions(MqttTls.Build(options));
        var channelOptions = builder.Build();

        using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var client = factory.CreateLowLevelMqttClient();
        try
        {
            await client.ConnectAsync(channelOptions, linked.Token).ConfigureAwait(false);
            await client.SendAsync(ConnectPacket(options, mqtt5), linked.Token).ConfigureAwait(false);
            var answer = await client.ReceiveAsync(linked.Token).ConfigureAwait(false);
            if (answer is not MqttConnAckPacket ack)
                throw new MqttCommunicationException($"The broker answered CONNECT with {answer.GetType().Name} instead of CONNACK.");
            if (MqttConnAckCodes.Refusal(ack, mqtt5) is { } refusal) throw refusal;
            await client.SendAsync(new MqttSubscribePacket
            {
                PacketIdentifier = 1,
                TopicFilters = [new MqttTopicFilter { Topic = options.Filter, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce }],
            }, linked.Token).ConfigureAwait(false);
            return new MqttIngestConnection(client, streams.Stream, owner, time, TimeSpan.FromSeconds(options.KeepAliveSeconds), ack.IsSessionPresent);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new TimeoutException($"No CONNACK from {options.Host}:{options.Port} within {options.ConnectTimeout.TotalSeconds:0.#} s.", ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static MqttConnectPacket ConnectPacket(MqttIngestOptions options, bool mqtt5) => new()
    {
        ClientId = options.ClientId,
        CleanSession = options.CleanSession,
        KeepAlivePeriod = (ushort)options.KeepAliveSeconds,
        Username = string.IsNullOrEmpty(options.Username) ? null : options.Username,
        Password = string.IsNullOrEmpty(options.Password) ? null : Encoding.UTF8.GetBytes(options.Password),
        // MQTT 5: a persistent session needs an expiry > 0 (0, the protocol default, ends the session at disconnect).
        SessionExpiryInterval = mqtt5 && !options.CleanSession ? options.SessionExpirySeconds : 0,
        ReceiveMaximum = mqtt5 ? (ushort)Math.Min(ushort.MaxValue, options.ReceiveMaximum ?? options.ReceiveQueueCapacity) : (ushort)0,
    };

    /// <summary>Queues the PUBACK of <paramref name="packetId"/>; after the connection ended it is dropped (the broker redelivers).</summary>
    public void Acknowledge(ushort packetId)
    {
        if (!_outgoing.Writer.TryWrite(packetId)) _owner.OnStaleAck();
    }

    /// <summary>Stops taking acknowledgements; the sender writes the ones queued, then DISCONNECT, and the connection ends.</summary>
    public void BeginClose() => _outgoing.Writer.TryComplete();

    /// <summary>Runs until the connection ends: returns after <see cref="BeginClose"/>, throws when it was lost.</summary>
    public async Task RunAsync(ChannelWriter<InboundMessage> output)
    {
        using var lifetime = new CancellationTokenSource();
        var token = lifetime.Token;
        var reader = ReadAsync(output, token);
        var sender = SendAsync(token);
        var keepAlive = _keepAlive > TimeSpan.Zero ? KeepAliveAsync(lifetime) : Task.Delay(Timeout.Infinite, token);
        var first = await Task.WhenAny(reader, sender, keepAlive).ConfigureAwait(false);
        _outgoing.Writer.TryComplete();
        await lifetime.CancelAsync().ConfigureAwait(false);
        _client.Dispose();
        try
        {
            await Task.WhenAll(reader, sender, keepAlive).ConfigureAwait(false);
        }
        catch
        {
            // The first task's outcome is what counts; the others end because the connection was torn down.
        }

        if (first == sender && sender.IsCompletedSuccessfully) return; // graceful close
        await first.ConfigureAwait(false);
        throw new MqttCommunicationException("The connection ended.");
    }

    private async Task ReadAsync(ChannelWriter<InboundMessage> output, CancellationToken token)
    {
        await Task.Yield();
        while (true)
        {
            Volatile.Write(ref _readingSince, _time.GetTimestamp());
            var packet = await _client.ReceiveAsync(token).ConfigureAwait(false);
            Volatile.Write(ref _readingSince, -1);
            switch (packet)
            {
                case MqttPublishPacket publish:
                    var payload = publish.Payload;
                    // MQTTnet decodes each packet into a fresh array, so the payload can be kept without copying.
                    var message = new InboundMessage(publish.Topic, payload.IsSingleSegment ? payload.First : payload.ToArray(),
                        publish.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtLeastOnce ? new MqttDelivery(this, publish.PacketIdentifier) : null);
                    _owner.OnMessage();
                    if (!output.TryWrite(message))
                    {
                        // Back-pressure: the next packet is not read until this message is queued.
                        _owner.SetReceivePaused(true);
                        await output.WriteAsync(message, token).ConfigureAwait(false);
                        _owner.SetReceivePaused(false);
                    }

                    break;
                case MqttSubAckPacket subAck:
                    _owner.OnSubAck(subAck);
                    break;
                case MqttDisconnectPacket disconnect:
                    throw new MqttCommunicationException($"The broker closed the connection ({disconnect.ReasonCode}{(string.IsNullOrEmpty(disconnect.ReasonString) ? "" : ": " + disconnect.ReasonString)}).");
            }
        }
    }

    private async Task SendAsync(CancellationToken token)
    {
        var queue = _outgoing.Reader;
        while (await queue.WaitToReadAsync(token).ConfigureAwait(false))
        {
            // A run of queued PUBACKs (a stored batch) leaves in one send.
            _stream?.Hold();
            while (queue.TryRead(out var id))
            {
                MqttPacket packet = id == PingMarker ? PingReq : new MqttPubAckPacket { PacketIdentifier = id };
                await _client.SendAsync(packet, token).ConfigureAwait(false);
            }

            if (_stream is not null) await _stream.ReleaseAsync(token).ConfigureAwait(false);
        }

        await _client.SendAsync(new MqttDisconnectPacket(), token).ConfigureAwait(false);
    }

    private async Task KeepAliveAsync(CancellationTokenSource lifetime)
    {
        var interval = _keepAlive / 2;
        var deadline = _keepAlive * 1.5;
        while (true)
        {
            await Task.Delay(interval, _time, lifetime.Token).ConfigureAwait(false);
            var since = Volatile.Read(ref _readingSince);
            // Only while the reader waits for the socket: a paused reader (back-pressure) does not see PINGRESPs.
            if (since >= 0 && _time.GetElapsedTime(since) > deadline)
                throw new MqttCommunicationException($"Nothing received for {deadline.TotalSeconds:0.#} s (keep-alive {_keepAlive.TotalSeconds:0} s); the connection is dead.");
            _outgoing.Writer.TryWrite(PingMarker);
        }
    }
}
