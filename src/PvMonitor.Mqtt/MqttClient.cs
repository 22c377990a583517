using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Session;
using PvMonitor.Mqtt.Transport;

namespace PvMonitor.Mqtt;

/// <summary>
/// An MQTT 3.1.1/5 client that keeps itself connected: after <see cref="ConnectAsync"/> succeeds it reconnects on any
/// loss (Polly backoff with jitter and a cap), resends unacknowledged QoS 1 publishes with DUP, and restores
/// subscriptions when the broker lost the session. Received messages flow through the bounded <see cref="Messages"/>
/// queue; when it is full the socket is not read, so memory stays bounded and the broker holds the backlog.
/// Thread-safe.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable, IMqttSessionHandler
{
    private const int RestoreChunk = 64;
    private static readonly TimeSpan DisconnectGrace = TimeSpan.FromSeconds(2);

    private readonly MqttClientOptions _options;
    private readonly IMqttChannelFactory _channelFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<MqttMessage> _messages;
    private readonly TopicNameCache _topics = new();
    private readonly MqttClientCounters _counters = new();
    private readonly ResiliencePipeline _reconnect;
    private readonly ResiliencePipeline _firstConnect;
    private readonly SemaphoreSlim _publishSlots;
    private readonly Lock _gate = new();
    private readonly PacketIdAllocator _packetIds = new();
    private readonly OutgoingPublishes _publishes = new();
    private readonly Dictionary<ushort, TaskCompletionSource<MqttPacket>> _requests = [];
    private readonly List<MqttTopicFilter> _subscriptions = [];
    private MqttConnection? _connection;
    private CancellationTokenSource? _stopping;
    private Task? _supervisor;
    private MqttConnectionState _state;
    private int _sendWindow;
    private long _publishSequence;
    private long _reconnectCount;
    private long _failedAttempts;
    private Exception? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _connectedSince;
    private bool _sessionPresent;
    private bool _disposed;

    /// <param name="options">Validated here; see <see cref="MqttClientOptions"/> for defaults.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="timeProvider">Clock for keep-alive, timeouts and backoff; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="random">Source of reconnect jitter (pass a seeded one for reproducible tests); default <see cref="Random.Shared"/>.</param>
    /// <param name="channelFactory">Network channels; default TCP/TLS from <paramref name="options"/>.</param>
    public MqttClient(MqttClientOptions options, ILogger<MqttClient>? logger = null, TimeProvider? timeProvider = null,
        Random? random = null, IMqttChannelFactory? channelFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _channelFactory = channelFactory ?? new TcpMqttChannelFactory(options);
        _messages = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(options.ReceiveQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _publishSlots = new SemaphoreSlim(options.MaxInflightPublishes, options.MaxInflightPublishes);
        var jitter = random ?? Random.Shared;
        // Once running, retry everything: a rotated password or a broker still loading its ACLs must not end ingest.
        _reconnect = ReconnectPipeline.Create(options, _time, jitter.NextDouble, OnReconnectFailed, static _ => true);
        // Starting up, a refusal that retrying cannot fix (wrong password, …) is reported at once.
        _firstConnect = ReconnectPipeline.Create(options, _time, jitter.NextDouble, OnReconnectFailed,
            static ex => ex is not MqttConnectException { IsConfigurationError: true });
    }

    /// <summary>
    /// Received messages, in arrival order. Bounded by <see cref="MqttClientOptions.ReceiveQueueCapacity"/>; completes when
    /// the client is disposed. Ack QoS 1 messages with <see cref="MqttMessage.AckAsync"/> once they are durably handled.
    /// </summary>
    public ChannelReader<MqttMessage> Messages => _messages.Reader;

    /// <summary>Where the client stands now; changes are also raised through <see cref="StateChanged"/>.</summary>
    public MqttConnectionState State
    {
        get
        {
            lock (_gate)
                return _state;
        }
    }

    /// <summary>True while a connection is up and accepted (for readiness probes).</summary>
    public bool IsConnected => State == MqttConnectionState.Connected;

    /// <summary>Raised synchronously on every state change (handler exceptions are logged and swallowed).</summary>
    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>A consistent snapshot of state, counters and the last error (cheap; meant for /readyz and metrics).</summary>
    public MqttClientHealth GetHealth()
    {
        lock (_gate)
        {
            return new MqttClientHealth
            {
                State = _state,
                ConnectedSince = _connectedSince,
                ReconnectCount = Interlocked.Read(ref _reconnectCount),
                FailedConnectAttempts = Interlocked.Read(ref _failedAttempts),
                LastError = _lastError?.Message,
                LastErrorAt = _lastErrorAt,
                SessionPresent = _sessionPresent,
                MessagesReceived = Interlocked.Read(ref _counters.MessagesReceived),
                ReceiveQueueLength = _messages.Reader.Count,
                InflightPublishes = _publishes.Count,
                StaleAcks = Interlocked.Read(ref _counters.StaleAcks),
                OversizedMessagesDropped = Interlocked.Read(ref _counters.OversizedDropped),
                ReceivePaused = _connection?.IsReadPaused ?? false,
            };
        }
    }

    /// <summary>
    /// Makes the first connection (one attempt) and from then on keeps the client connected until
    /// <see cref="DisconnectAsync"/> or disposal.
    /// </summary>
    /// <exception cref="MqttConnectException">The broker refused us (see its <see cref="MqttConnectException.ReasonCode"/>).</exception>
    /// <exception cref="MqttCommunicationException">The broker could not be reached, TLS failed, or the connect timeout passed.</exception>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => ConnectCoreAsync(retry: false, cancellationToken);

    /// <summary>
    /// Like <see cref="ConnectAsync"/>, but a broker that is down or unreachable at start-up is retried with the reconnect
    /// backoff until it answers (state <see cref="MqttConnectionState.Connecting"/>, each failure in <see cref="GetHealth"/>).
    /// For a service that may start before its broker.
    /// </summary>
    /// <exception cref="MqttConnectException">A refusal that retrying cannot fix (<see cref="MqttConnectException.IsConfigurationError"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default) => ConnectCoreAsync(retry: true, cancellationToken);

    private async Task ConnectCoreAsync(bool retry, CancellationToken cancellationToken)
    {
        CancellationTokenSource stopping;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_stopping is not null)
                throw new InvalidOperationException("The client is already connected or connecting.");
            // Never disposed: it has no timer, and ConnectAsync/DisconnectAsync may race on it.
            stopping = _stopping = new CancellationTokenSource();
        }

        var stoppingToken = stopping.Token;

        SetState(MqttConnectionState.Connecting, null);
        MqttConnection connection;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stoppingToken);
            connection = retry
                ? await _firstConnect.ExecuteAsync(
                    static async (client, token) => await client.EstablishAsync(isReconnect: false, token).ConfigureAwait(false),
                    this, linked.Token).ConfigureAwait(false)
                : await EstablishAsync(isReconnect: false, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failedAttempts);
            RecordError(ex);
            lock (_gate)
            {
                if (_stopping == stopping)
                    _stopping = null;
            }

            SetState(MqttConnectionState.Disconnected, ex);
            throw;
        }

        lock (_gate)
            _supervisor = Task.Run(() => SuperviseAsync(connection, stoppingToken), CancellationToken.None);
    }

    /// <summary>Subscribes to one filter (QoS 0 or 1). See <see cref="SubscribeAsync(IReadOnlyList{MqttTopicFilter}, CancellationToken)"/>.</summary>
    public Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(string filter, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce,
        CancellationToken cancellationToken = default) =>
        SubscribeAsync([new MqttTopicFilter(filter, qos)], cancellationToken);

    /// <summary>
    /// Subscribes and waits for the SUBACK. Accepted filters are remembered and restored after a reconnect whenever the
    /// broker no longer has our session. Returns the granted code per filter.
    /// </summary>
    /// <exception cref="MqttSubscribeException">The broker refused at least one filter (the others stay subscribed).</exception>
    /// <exception cref="MqttCommunicationException">Not connected, or the connection dropped before the SUBACK.</exception>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttTopicFilter> filters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
            throw new ArgumentException("At least one topic filter is needed.", nameof(filters));
        foreach (var filter in filters)
        {
            if (!MqttTopic.IsValidTopicFilter(filter.Filter))
                throw new ArgumentException($"'{filter.Filter}' is not a valid MQTT topic filter.", nameof(filters));
            if (filter.QoS > MqttQualityOfService.AtLeastOnce)
                throw new ArgumentException($"QoS {(int)filter.QoS} is not supported; subscribe with QoS 0 or 1.", nameof(filters));
        }

        var copy = filters.ToArray();
        var answer = (SubAckPacket)await SendRequestAsync(new SubscribePacket { TopicFilters = copy }, cancellationToken).ConfigureAwait(false);
        if (answer.ReasonCodes.Count != copy.Length)
            throw new MqttProtocolException($"The SUBACK has {answer.ReasonCodes.Count} codes for {copy.Length} filters.", MqttReasonCode.ProtocolError);

        var refused = false;
        lock (_gate)
        {
            for (var i = 0; i < copy.Length; i++)
            {
                if ((byte)answer.ReasonCodes[i] >= 0x80)
                {
                    refused = true;
                    continue;
                }

                _subscriptions.RemoveAll(s => s.Filter == copy[i].Filter);
                _subscriptions.Add(copy[i]);
            }
        }

        if (refused)
            throw new MqttSubscribeException(copy, answer.ReasonCodes);
        return answer.ReasonCodes;
    }

    /// <summary>Unsubscribes and waits for the UNSUBACK; the filters are no longer restored after reconnects.</summary>
    public async Task UnsubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
            throw new ArgumentException("At least one topic filter is needed.", nameof(filters));
        lock (_gate)
            _subscriptions.RemoveAll(s => filters.Contains(s.Filter));
        await SendRequestAsync(new UnsubscribePacket { TopicFilters = filters.ToArray() }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes a message. QoS 0 completes once written to the socket and needs a live connection.
    /// QoS 1 completes when the broker's PUBACK arrives; while the client is reconnecting it waits in the queue and is
    /// sent (again, with DUP) on the next connection. Cancelling the wait does not withdraw a QoS 1 message already queued.
    /// At most <see cref="MqttClientOptions.MaxInflightPublishes"/> QoS 1 messages are pending; further calls wait.
    /// </summary>
    /// <exception cref="MqttPublishException">An MQTT 5 broker refused the message.</exception>
    /// <exception cref="MqttCommunicationException">Not connected (QoS 0), or the client was stopped.</exception>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce,
        bool retain = false, CancellationToken cancellationToken = default)
    {
        if (!MqttTopic.IsValidTopicName(topic))
            throw new ArgumentException($"'{topic}' is not a valid MQTT topic name.", nameof(topic));
        if (qos > MqttQualityOfService.AtLeastOnce)
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "Only QoS 0 and 1 are supported.");

        var packet = new PublishPacket { Topic = topic, Payload = payload, QoS = qos, Retain = retain, PacketId = qos == 0 ? (ushort)0 : (ushort)1 };
        var size = MqttPacketEncoder.GetSize(packet, _options.ProtocolVersion);
        if (qos == MqttQualityOfService.AtMostOnce)
        {
            await PublishAtMostOnceAsync(packet, size, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _publishSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        PendingPublish pending;
        lock (_gate)
        {
            if (_stopping is null)
            {
                _publishSlots.Release();
                throw NotConnected();
            }

            if (!_packetIds.TryAllocate(out var packetId))
            {
                _publishSlots.Release();
                throw new MqttCommunicationException("All 65,535 packet identifiers are in use.");
            }

            packet.PacketId = packetId;
            pending = new PendingPublish(packet, ++_publishSequence, size);
            _publishes.Add(pending);
            if (_connection is { } connection)
                PumpLocked(connection);
        }

        await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends DISCONNECT and stops reconnecting. Unacknowledged QoS 1 publishes fail with <see cref="MqttCommunicationException"/>;
    /// with a persistent session the broker keeps our subscriptions and queues messages until we connect again.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? stopping;
        Task? supervisor;
        lock (_gate)
        {
            stopping = _stopping;
            supervisor = _supervisor;
            _stopping = null;
            _supervisor = null;
        }

        if (stopping is null)
            return;
        await stopping.CancelAsync().ConfigureAwait(false);
        if (supervisor is not null)
            await supervisor.WaitAsync(cancellationToken).ConfigureAwait(false);

        List<PendingPublish> abandoned;
        lock (_gate)
            abandoned = _publishes.RemoveAll();
        foreach (var publish in abandoned)
        {
            lock (_gate)
                _packetIds.Release(publish.Packet.PacketId);
            _publishSlots.Release();
            publish.Completion.TrySetException(new MqttCommunicationException("The client disconnected before the broker acknowledged the message."));
        }

        SetState(MqttConnectionState.Disconnected, null);
    }

    /// <summary>Disconnects and completes <see cref="Messages"/> (messages already queued can still be read).</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
        }

        await DisconnectAsync().ConfigureAwait(false);
        _messages.Writer.TryComplete();
    }

    void IMqttSessionHandler.OnPubAck(MqttConnection connection, ushort packetId, MqttReasonCode reasonCode)
    {
        PendingPublish? done;
        lock (_gate)
        {
            if (connection != _connection)
                return;
            done = _publishes.Remove(packetId);
            if (done is null)
                return; // unknown or duplicate PUBACK
            _packetIds.Release(packetId);
            PumpLocked(connection);
        }

        _publishSlots.Release();
        if ((byte)reasonCode >= 0x80)
            done.Completion.TrySetException(new MqttPublishException(done.Packet.Topic, reasonCode, null));
        else
            done.Completion.TrySetResult();
    }

    void IMqttSessionHandler.OnRequestAnswered(MqttConnection connection, ushort packetId, MqttPacket answer)
    {
        TaskCompletionSource<MqttPacket>? request;
        lock (_gate)
        {
            if (!_requests.Remove(packetId, out request))
                return;
            _packetIds.Release(packetId);
        }

        request.TrySetResult(answer);
    }

    private async Task PublishAtMostOnceAsync(PublishPacket packet, int size, CancellationToken cancellationToken)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var connection = _connection ?? throw NotConnected();
            if (size > connection.MaxOutgoingPacketSize)
                throw new MqttProtocolException($"The message is {size} bytes; the broker accepts at most {connection.MaxOutgoingPacketSize}.", MqttReasonCode.PacketTooLarge);
            if (!connection.Send(OutgoingPacket.Of(packet, written)))
                throw NotConnected();
        }

        await written.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends publishes that wait while the send window has room. Caller holds <see cref="_gate"/>.</summary>
    private void PumpLocked(MqttConnection connection)
    {
        while (_publishes.TryTakeNext(_sendWindow, out var next))
        {
            if (next.Size > connection.MaxOutgoingPacketSize)
            {
                // The broker's limit shrank since the message was accepted: fail it rather than break every reconnect.
                _publishes.Remove(next.Packet.PacketId);
                _packetIds.Release(next.Packet.PacketId);
                _publishSlots.Release();
                MqttLog.PublishDropped(_logger, next.Packet.Topic, "larger than the broker's maximum packet size");
                next.Completion.TrySetException(new MqttProtocolException(
                    $"The message is {next.Size} bytes; the broker accepts at most {connection.MaxOutgoingPacketSize}.", MqttReasonCode.PacketTooLarge));
                continue;
            }

            connection.Send(OutgoingPacket.Of(next.Packet));
        }
    }

    private async Task<MqttPacket> SendRequestAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var connection = _connection ?? throw NotConnected();
            if (!_packetIds.TryAllocate(out var packetId))
                throw new MqttCommunicationException("All 65,535 packet identifiers are in use.");
            switch (packet)
            {
                case SubscribePacket subscribe: subscribe.PacketId = packetId; break;
                case UnsubscribePacket unsubscribe: unsubscribe.PacketId = packetId; break;
            }

            _requests.Add(packetId, answer);
            if (!connection.Send(OutgoingPacket.Of(packet)))
            {
                _requests.Remove(packetId);
                _packetIds.Release(packetId);
                throw NotConnected();
            }
        }

        return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void RecordError(Exception error)
    {
        lock (_gate)
        {
            _lastError = error;
            _lastErrorAt = _time.GetUtcNow();
        }
    }

    private void SetState(MqttConnectionState state, Exception? error)
    {
        MqttConnectionState previous;
        lock (_gate)
        {
            previous = _state;
            if (previous == state)
                return;
            _state = state;
        }

        try
        {
            StateChanged?.Invoke(this, new MqttConnectionStateChangedEventArgs(previous, state, error));
        }
        catch (Exception ex)
        {
            MqttLog.StateHandlerFailed(_logger, ex);
        }
    }

    private static MqttCommunicationException NotConnected() => new("The MQTT client is not connected.");
}
