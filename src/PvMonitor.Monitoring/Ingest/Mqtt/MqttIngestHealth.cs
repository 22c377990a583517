namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>A snapshot of an <see cref="MqttIngestClient"/> for readiness probes, metrics and tests.</summary>
public sealed record MqttIngestHealth
{
    /// <summary>Connection state at the time of the snapshot.</summary>
    public required MqttConnectionState State { get; init; }

    /// <summary>True when <see cref="State"/> is <see cref="MqttConnectionState.Connected"/>.</summary>
    public bool IsConnected => State == MqttConnectionState.Connected;

    /// <summary>When the current connection was accepted; null when not connected.</summary>
    public DateTimeOffset? ConnectedSince { get; init; }

    /// <summary>Successful connections after the first one.</summary>
    public long ReconnectCount { get; init; }

    /// <summary>Failed connection attempts since start.</summary>
    public long FailedConnectAttempts { get; init; }

    /// <summary>The last connection error (refusal reason, TLS or socket error), or null.</summary>
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened (from the client's TimeProvider).</summary>
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Whether the broker still had our session at the last CONNACK.</summary>
    public bool SessionPresent { get; init; }

    /// <summary>True once the broker granted the subscription on the current connection.</summary>
    public bool Subscribed { get; init; }

    /// <summary>PUBLISH packets received since start.</summary>
    public long MessagesReceived { get; init; }

    /// <summary>Messages waiting in the receive queue now.</summary>
    public int ReceiveQueueLength { get; init; }

    /// <summary>The receive queue is full and the socket is not being read (back-pressure towards the broker).</summary>
    public bool ReceivePaused { get; init; }

    /// <summary>Acknowledgements dropped because their connection had closed; the broker redelivers those messages.</summary>
    public long StaleAcks { get; init; }
}
