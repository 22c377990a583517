namespace PvMonitor.Mqtt;

/// <summary>A snapshot of an <see cref="MqttClient"/> for readiness probes and metrics.</summary>
public sealed record MqttClientHealth
{
    /// <summary>Connection state at the time of the snapshot.</summary>
    public required MqttConnectionState State { get; init; }

    /// <summary>True when <see cref="State"/> is <see cref="MqttConnectionState.Connected"/>.</summary>
    public bool IsConnected => State == MqttConnectionState.Connected;

    /// <summary>When the current connection was accepted; null when not connected.</summary>
    public DateTimeOffset? ConnectedSince { get; init; }

    /// <summary>Successful reconnects since the client started (the first connection does not count).</summary>
    public long ReconnectCount { get; init; }

    /// <summary>Failed connection attempts since the client started.</summary>
    public long FailedConnectAttempts { get; init; }

    /// <summary>Message of the last connection error, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened (UTC, from the client's TimeProvider).</summary>
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Whether the broker had our session at the last CONNACK.</summary>
    public bool SessionPresent { get; init; }

    /// <summary>PUBLISH packets received since start.</summary>
    public long MessagesReceived { get; init; }

    /// <summary>Messages waiting in the receive queue now.</summary>
    public int ReceiveQueueLength { get; init; }

    /// <summary>Our QoS 1 publishes not yet acknowledged by the broker.</summary>
    public int InflightPublishes { get; init; }

    /// <summary>Messages larger than <see cref="MqttClientOptions.MaxPacketSize"/> skipped (and acknowledged) unread since start.</summary>
    public long OversizedMessagesDropped { get; init; }

    /// <summary>The receive queue is full and the socket is not being read (back-pressure towards the broker).</summary>
    public bool ReceivePaused { get; init; }

    /// <summary>
    /// Acks dropped because their connection had closed (or the message was already acked). The broker redelivers
    /// those messages with DUP set, so the application sees them again.
    /// </summary>
    public long StaleAcks { get; init; }
}
