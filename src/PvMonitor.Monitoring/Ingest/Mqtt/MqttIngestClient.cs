using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Packets;
using Polly;
using Polly.Retry;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>
/// The worker's MQTT subscriber, a thin adapter over MQTTnet's low-level client (MQTTnet owns packets, formats, TCP and TLS).
/// After <see cref="Start"/> it keeps itself connected — also when the broker is down at start-up — with a Polly retry
/// (exponential backoff from <see cref="MqttIngestOptions.ReconnectMinDelay"/>, jitter, capped at
/// <see cref="MqttIngestOptions.ReconnectMaxDelay"/>), subscribes to <see cref="MqttIngestOptions.Filter"/> at QoS 1 on
/// every connection and hands messages to the bounded <see cref="Messages"/> queue. QoS 1 messages are acknowledged only
/// through <see cref="InboundMessage.Ack"/> (at-least-once); when the queue is full the socket is not read.
/// </summary>
public sealed class MqttIngestClient : IAsyncDisposable
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly MqttIngestOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MqttClientFactory _factory = new();
    private readonly Channel<InboundMessage> _messages;
    private readonly ResiliencePipeline _reconnect;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _firstSubscription = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttIngestConnection? _connection;
    private Task? _supervisor;
    private MqttConnectionState _state;
    private DateTimeOffset? _connectedSince;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private bool _sessionPresent;
    private bool _subscribed;
    private bool _disposed;
    private long _connections;
    private long _failedAttempts;
    private long _received;
    private long _staleAcks;
    private int _paused;

    /// <param name="options">Validated here.</param>
    /// <param name="logger">Connection events; default none.</param>
    /// <param name="timeProvider">Clock of keep-alive, timeouts and backoff; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="randomizer">Reconnect jitter source in [0, 1) (seed it in tests); default <see cref="Random.Shared"/>.</param>
    public MqttIngestClient(MqttIngestOptions options, ILogger<MqttIngestClient>? logger = null, TimeProvider? timeProvider = null, Func<double>? randomizer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _messages = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.ReceiveQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        _reconnect = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException || !_stopping.IsCancellationRequested),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ReconnectMinDelay,
                MaxDelay = options.ReconnectMaxDelay,
                MaxRetryAttempts = int.MaxValue,
                Randomizer = randomizer ?? Random.Shared.NextDouble,
                OnRetry = args =>
                {
                    OnConnectFailed(args.Outcome.Exception!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Received messages in arrival order, bounded by <see cref="MqttIngestOptions.ReceiveQueueCapacity"/>; completes on disposal.</summary>
    public ChannelReader<InboundMessage> Messages => _messages.Reader;

    /// <summary>The subscription filter.</summary>
    public string Filter => _options.Filter;

    /// <summary>Where the client stands now.</summary>
    public MqttConnectionState State
    {
        get
        {
            lock (_gate) return _state;
        }
    }

    /// <summary>True while a connection is up and accepted (for readiness probes).</summary>
    public bool IsConnected => State == MqttConnectionState.Connected;

    /// <summary>A consistent snapshot of state and counters.</summary>
    public MqttIngestHealth GetHealth()
    {
        lock (_gate)
        {
            return new MqttIngestHealth
            {
                State = _state,
                ConnectedSince = _connectedSince,
                ReconnectCount = Math.Max(0, Interlocked.Read(ref _connections) - 1),
                FailedConnectAttempts = Interlocked.Read(ref _failedAttempts),
                LastError = _lastError,
                LastErrorAt = _lastErrorAt,
                SessionPresent = _sessionPresent,
                Subscribed = _subscribed,
                MessagesReceived = Interlocked.Read(ref _received),
                ReceiveQueueLength = _messages.Reader.Count,
                ReceivePaused = Volatile.Read(ref _paused) != 0,
                StaleAcks = Interlocked.Read(ref _staleAcks),
            };
        }
    }

    /// <summary>Starts connecting in the background (retrying until the broker answers) and keeps the client connected until disposal.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_supervisor is not null) throw new InvalidOperationException("The client is already started.");
            _state = MqttConnectionState.Connecting;
            _supervisor = Task.Run(SuperviseAsync);
        }
    }

    /// <summary>Completes when the broker first granted the subscription (for start-up logs and tests).</summary>
    public Task WaitUntilSubscribedAsync(CancellationToken cancellationToken = default) => _firstSubscription.Task.WaitAsync(cancellationToken);

    private async Task SuperviseAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            MqttIngestConnection connection;
            try
            {
                connection = await _reconnect.ExecuteAsync(
                    static async (client, token) => await MqttIngestConnection.OpenAsync(client._options, client._factory, client, client._time, token).ConfigureAwait(false),
                    this, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }

            var reconnected = Interlocked.Increment(ref _connections) > 1;
            lock (_gate)
            {
                _connection = connection;
                _state = MqttConnectionState.Connected;
                _connectedSince = _time.GetUtcNow();
                _sessionPresent = connection.SessionPresent;
                _subscribed = false;
                if (_disposed) connection.BeginClose();
            }

            _logger.LogInformation("MQTT {Reconnected} {Host}:{Port} as {ClientId} (MQTT {Version}, session present: {SessionPresent}).",
                reconnected ? "reconnected to" : "connected to", _options.Host, _options.Port, _options.ClientId, _options.ProtocolVersion == 5 ? "5" : "3.1.1", connection.SessionPresent);
            try
            {
                await connection.RunAsync(_messages.Writer).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                RecordError(ex);
                if (!stopping.IsCancellationRequested)
                    _logger.LogWarning("MQTT connection to {Host}:{Port} lost ({Error}); reconnecting.", _options.Host, _options.Port, ex.Message);
            }

            lock (_gate)
            {
                _connection = null;
                _connectedSince = null;
                _subscribed = false;
                _state = stopping.IsCancellationRequested ? MqttConnectionState.Disconnected : MqttConnectionState.Connecting;
            }
        }
    }

    private void OnConnectFailed(Exception ex, TimeSpan retryIn)
    {
        Interlocked.Increment(ref _failedAttempts);
        RecordError(ex);
        if (ex is MqttConnectRefusedException { IsConfigurationError: true } refused)
        {
            _logger.LogError("MQTT broker {Host}:{Port} refused the connection: {Reason} (code {Code}); check Mqtt:Username, Mqtt:Password and Mqtt:ClientId. Retrying in {Delay:0.0} s.",
                _options.Host, _options.Port, refused.Reason, refused.Code, retryIn.TotalSeconds);
            return;
        }

        var detail = ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})" : ex.Message;
        _logger.LogWarning("MQTT broker {Host}:{Port} not reachable: {Error}. Retrying in {Delay:0.0} s.", _options.Host, _options.Port, detail, retryIn.TotalSeconds);
    }

    private void RecordError(Exception ex)
    {
        lock (_gate)
        {
            _lastError = ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})" : ex.Message;
            _lastErrorAt = _time.GetUtcNow();
        }
    }

    internal void OnMessage() => Interlocked.Increment(ref _received);

    internal void OnStaleAck() => Interlocked.Increment(ref _staleAcks);

    internal void SetReceivePaused(bool paused) => Volatile.Write(ref _paused, paused ? 1 : 0);

    internal void OnSubAck(MqttSubAckPacket subAck)
    {
        var code = subAck.ReasonCodes is { Count: > 0 } codes ? codes[0] : MQTTnet.Protocol.MqttSubscribeReasonCode.UnspecifiedError;
        if ((int)code >= 0x80)
        {
            lock (_gate)
            {
                _lastError = $"The broker refused the subscription to '{_options.Filter}': {code}.";
                _lastErrorAt = _time.GetUtcNow();
            }

            _logger.LogError("MQTT broker refused the subscription to {Filter}: {Code} (check Mqtt:Topic, Mqtt:SharedGroup and the broker's ACL).", _options.Filter, code);
            return;
        }

        lock (_gate) _subscribed = true;
        _logger.LogInformation("Subscribed to {Filter} (granted {Code}).", _options.Filter, code);
        _firstSubscription.TrySetResult();
    }

    /// <summary>
    /// Sends the acknowledgements already queued, disconnects (the broker keeps a persistent session) and completes
    /// <see cref="Messages"/>. Messages not acknowledged by then are redelivered on the next connection.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task? supervisor;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            supervisor = _supervisor;
            _connection?.BeginClose();
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (supervisor is not null)
        {
            try
            {
                await supervisor.WaitAsync(CloseGrace, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("MQTT client did not close within {Grace} s.", CloseGrace.TotalSeconds);
            }
        }

        lock (_gate) _state = MqttConnectionState.Disconnected;
        _messages.Writer.TryComplete();
        _firstSubscription.TrySetCanceled();
    }
}
