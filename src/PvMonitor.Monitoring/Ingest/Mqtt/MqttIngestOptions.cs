namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>
/// Settings of <see cref="MqttIngestClient"/>: where the broker is, how to authenticate, the session and the subscription.
/// The executable maps the <c>Mqtt:*</c> configuration keys onto these; <see cref="GetValidationErrors"/> names those keys.
/// </summary>
public sealed class MqttIngestOptions
{
    /// <summary>Configuration section the keys in error messages belong to.</summary>
    public const string SectionName = "Mqtt";

    /// <summary>Broker host name or IP address. Default <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker TCP port, 1–65,535. Default 1883 (8883 is usual with TLS).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Connect with TLS; the broker certificate must chain to a trusted root and carry <see cref="TlsServerName"/>. Default false.</summary>
    public bool UseTls { get; set; }

    /// <summary>Host name the broker certificate must carry. Default null = <see cref="Host"/>.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>PEM file of the CA(s) the broker certificate must chain to; only these are trusted. Default null = the system trust store.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Client certificate for mutual TLS: PEM (key in <see cref="ClientKeyFile"/> or the same file) or .pfx/.p12. Default none.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/> when it is not in that file. Default none.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>User name; null or empty = anonymous.</summary>
    public string? Username { get; set; }

    /// <summary>Password (sent as UTF-8); null or empty = none.</summary>
    public string? Password { get; set; }

    /// <summary>Client identifier, 1–65,535 UTF-8 bytes; must be stable across restarts for a persistent session. Default <c>pvmonitor</c>.</summary>
    public string ClientId { get; set; } = "pvmonitor";

    /// <summary>
    /// Start each connection with a fresh session (MQTT 5: clean start, session expiry 0). Default false: the broker keeps our
    /// subscription and the QoS 1 messages we have not acknowledged while we are away.
    /// </summary>
    public bool CleanSession { get; set; }

    /// <summary>
    /// MQTT 5 only: seconds the broker keeps the session after a disconnect when <see cref="CleanSession"/> is false. Default
    /// 604,800 (7 days); 4,294,967,295 = never expires. (MQTT 5's own default, 0, would drop the session and its unacknowledged
    /// messages on every disconnect.)
    /// </summary>
    public uint SessionExpirySeconds { get; set; } = 604_800;

    /// <summary>MQTT protocol: 4 = 3.1.1 (default), 5 = MQTT 5.</summary>
    public int ProtocolVersion { get; set; } = 4;

    /// <summary>Keep-alive in seconds, 0–65,535 (0 = none). Default 30. A PINGREQ goes out every half of it.</summary>
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>Topic filter subscribed at QoS 1 on every connection, e.g. <c>pv/+/+/+/telemetry</c> or <c>$share/g/pv/#</c>.</summary>
    public string Filter { get; set; } = "pv/+/+/+/telemetry";

    /// <summary>
    /// Received messages buffered between the socket and the consumer of <see cref="MqttIngestClient.Messages"/>, 1–1,000,000.
    /// Default 4096. When full, the socket is not read: the broker holds the backlog.
    /// </summary>
    public int ReceiveQueueCapacity { get; set; } = 4096;

    /// <summary>
    /// MQTT 5 receive maximum (QoS 1 messages the broker may have sent us unacknowledged), 1–65,535. Default null =
    /// <see cref="ReceiveQueueCapacity"/> (at most 65,535). Ignored by MQTT 3.1.1 (the broker's own limit applies).
    /// </summary>
    public int? ReceiveMaximum { get; set; }

    /// <summary>Limit for TCP connect, TLS handshake and CONNACK together. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; later ones grow exponentially with jitter. Default 1 s.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reconnect delay. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every problem with these settings, each naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        void Check(bool ok, string key, string message)
        {
            if (!ok) errors.Add($"{SectionName}:{key} {message}");
        }

        Check(!string.IsNullOrWhiteSpace(Host), nameof(Host), "must be set.");
        Check(Port is >= 1 and <= 65535, nameof(Port), $"must be 1–65535 (is {Port}).");
        Check(UseTls || (string.IsNullOrEmpty(CaCertificateFile) && string.IsNullOrEmpty(ClientCertificateFile)), "Tls",
            "must be true when a CA or client certificate file is set.");
        Check(string.IsNullOrEmpty(CaCertificateFile) || File.Exists(CaCertificateFile), "CaFile", $"'{CaCertificateFile}' does not exist.");
        Check(string.IsNullOrEmpty(ClientCertificateFile) || File.Exists(ClientCertificateFile), "ClientCertFile", $"'{ClientCertificateFile}' does not exist.");
        Check(string.IsNullOrEmpty(ClientKeyFile) || File.Exists(ClientKeyFile), "ClientKeyFile", $"'{ClientKeyFile}' does not exist.");
        Check(!string.IsNullOrEmpty(ClientId), nameof(ClientId), "must be set.");
        Check(string.IsNullOrEmpty(Password) || !string.IsNullOrEmpty(Username) || ProtocolVersion == 5, nameof(Username), "must be set when a Password is set (MQTT 3.1.1).");
        Check(ProtocolVersion is 4 or 5, nameof(ProtocolVersion), $"must be 4 (3.1.1) or 5 (is {ProtocolVersion}).");
        Check(KeepAliveSeconds is >= 0 and <= ushort.MaxValue, nameof(KeepAliveSeconds), $"must be 0–65535 (is {KeepAliveSeconds}).");
        Check(!string.IsNullOrWhiteSpace(Filter), "Topic", "must be set.");
        Check(ReceiveQueueCapacity is >= 1 and <= 1_000_000, nameof(ReceiveQueueCapacity), $"must be 1–1000000 (is {ReceiveQueueCapacity}).");
        Check(ReceiveMaximum is null or (>= 1 and <= ushort.MaxValue), nameof(ReceiveMaximum), $"must be 1–65535 or unset (is {ReceiveMaximum}).");
        Check(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive.");
        Check(ReconnectMinDelay > TimeSpan.Zero, nameof(ReconnectMinDelay), "must be positive.");
        Check(ReconnectMaxDelay >= ReconnectMinDelay, nameof(ReconnectMaxDelay), "must be at least ReconnectMinDelay.");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, or returns when the settings are usable.</summary>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0) throw new ArgumentException("Invalid MQTT settings: " + string.Join(" ", errors));
    }
}
