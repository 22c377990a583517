using PvMonitor.Mqtt.Formatting;

namespace PvMonitor.Mqtt;

/// <summary>
/// Settings of one <see cref="MqttClient"/>, bound from the <c>Mqtt</c> configuration section.
/// Defaults suit an ingest service that must not lose QoS 1 messages: persistent session (clean session off),
/// manual acknowledgement, reconnect forever with capped exponential backoff.
/// </summary>
public sealed class MqttClientOptions
{
    /// <summary>Configuration section name: <c>Mqtt</c>.</summary>
    public const string SectionName = "Mqtt";

    /// <summary>Broker host name or IP address. Default <c>localhost</c>.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>Broker TCP port. Default 1883 (use 8883 with TLS).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Wrap the connection in TLS. Default false.</summary>
    public bool UseTls { get; set; }

    /// <summary>Host name the broker certificate must carry; default <see cref="Host"/>.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>
    /// PEM file of the CA(s) the broker certificate must chain to. When set, only these roots are trusted;
    /// when empty, the operating system's trust store is used. The host name is checked either way.
    /// </summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Client certificate for mutual TLS: a PEM certificate (key in <see cref="ClientKeyFile"/> or the same file) or a .pfx/.p12.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>, when it is not in the certificate file.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Password of a .pfx/.p12 <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientCertificatePassword { get; set; }

    /// <summary>User name; null sends none.</summary>
    public string? Username { get; set; }

    /// <summary>Password (UTF-8); null sends none. MQTT 3.1.1 needs a <see cref="Username"/> with it.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// Client identifier. Must be set, and stable across restarts, when <see cref="CleanSession"/> is false: the broker
    /// keeps the session (subscriptions, queued QoS 1 messages) under this id. Empty lets the broker assign one.
    /// </summary>
    public string ClientId { get; set; } = "";

    /// <summary>
    /// Start every connection with a fresh session. Default false, so the broker queues QoS 1 messages while we are away
    /// and keeps our subscriptions (MQTT 5: clean start off plus <see cref="SessionExpirySeconds"/>).
    /// </summary>
    public bool CleanSession { get; set; }

    /// <summary>MQTT 5: how long, in seconds, the broker keeps the session after a disconnect. Default 604,800 (7 days); 4,294,967,295 = never expire.</summary>
    public uint SessionExpirySeconds { get; set; } = 604_800;

    /// <summary>Keep-alive in seconds (0–65,535; 0 disables pings). Default 30. A PINGREQ goes out after 3/4 of this without traffic.</summary>
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>How long to wait for the answer to a PINGREQ before the connection is declared dead. Default 10 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for TCP connect, TLS handshake and CONNACK together. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>4 = MQTT 3.1.1 (default), 5 = MQTT 5.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V311;

    /// <summary>
    /// Largest packet accepted from the broker, in bytes including the fixed header. Default 1,048,576 (1 MiB).
    /// Announced to MQTT 5 brokers. A larger PUBLISH is skipped without being buffered, counted in
    /// <see cref="MqttClientHealth.OversizedMessagesDropped"/>, logged and acknowledged (so it cannot block the session
    /// by being redelivered forever); any other larger packet ends the connection with a protocol error.
    /// </summary>
    public int MaxPacketSize { get; set; } = 1_048_576;

    /// <summary>
    /// Received messages buffered for the application. Default 1,000. When full the client stops reading the socket
    /// (back-pressure reaches the broker) instead of growing memory. Also the MQTT 5 receive maximum unless
    /// <see cref="ReceiveMaximum"/> is set.
    /// </summary>
    public int ReceiveQueueCapacity { get; set; } = 1_000;

    /// <summary>
    /// MQTT 5 receive maximum announced in CONNECT: QoS 1 messages the broker may have sent us unacknowledged (1–65,535).
    /// Default null = <see cref="ReceiveQueueCapacity"/> (capped at 65,535). With <see cref="AutoAcknowledge"/> off, messages
    /// the application holds before <see cref="MqttMessage.AckAsync"/> count too, so an application that acknowledges after
    /// slow work (a durable write) should announce its queue plus what it holds. Ignored for MQTT 3.1.1, where the broker's
    /// own limit applies (mosquitto: <c>max_inflight_messages</c>).
    /// </summary>
    public int? ReceiveMaximum { get; set; }

    /// <summary>Our QoS 1 publishes awaiting PUBACK at once (1–65,000). Default 64. Further publishes wait.</summary>
    public int MaxInflightPublishes { get; set; } = 64;

    /// <summary>
    /// PUBACK received QoS 1 messages as soon as they are queued instead of when <see cref="MqttMessage.AckAsync"/> is called.
    /// Default false (at-least-once up to the application's storage).
    /// </summary>
    public bool AutoAcknowledge { get; set; }

    /// <summary>First reconnect delay (exponential backoff with jitter starts here). Default 1 s.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reconnect delay. Default 60 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Will topic the broker publishes to when we vanish without DISCONNECT; null = no will.</summary>
    public string? WillTopic { get; set; }

    /// <summary>Will payload (UTF-8). Default empty.</summary>
    public string WillPayload { get; set; } = "";

    /// <summary>Will QoS (0 or 1). Default 1.</summary>
    public MqttQualityOfService WillQoS { get; set; } = MqttQualityOfService.AtLeastOnce;

    /// <summary>Retain the will message. Default false.</summary>
    public bool WillRetain { get; set; }

    /// <summary>Every problem with these settings, each naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        void Check(bool ok, string key, string message)
        {
            if (!ok)
                errors.Add($"{SectionName}:{key} {message}");
        }

        Check(!string.IsNullOrWhiteSpace(Host), nameof(Host), "must be set.");
        Check(Port is >= 1 and <= 65535, nameof(Port), $"must be 1–65535 (is {Port}).");
        Check(UseTls || (string.IsNullOrEmpty(CaCertificateFile) && string.IsNullOrEmpty(ClientCertificateFile)), nameof(UseTls),
            "must be true when CaCertificateFile or ClientCertificateFile is set.");
        Check(string.IsNullOrEmpty(CaCertificateFile) || File.Exists(CaCertificateFile), nameof(CaCertificateFile), $"'{CaCertificateFile}' does not exist.");
        Check(string.IsNullOrEmpty(ClientCertificateFile) || File.Exists(ClientCertificateFile), nameof(ClientCertificateFile), $"'{ClientCertificateFile}' does not exist.");
        Check(string.IsNullOrEmpty(ClientKeyFile) || File.Exists(ClientKeyFile), nameof(ClientKeyFile), $"'{ClientKeyFile}' does not exist.");
        Check(CleanSession || !string.IsNullOrEmpty(ClientId), nameof(ClientId),
            "must be set (and stable) when CleanSession is false, so the broker can keep the session.");
        Check(MqttUtf8.IsValid(ClientId), nameof(ClientId), "must be valid UTF-8 without U+0000, at most 65,535 bytes.");
        Check(Username is null || MqttUtf8.IsValid(Username), nameof(Username), "must be valid UTF-8 without U+0000, at most 65,535 bytes.");
        Check(Password is null || Username is not null || ProtocolVersion == MqttProtocolVersion.V500, nameof(Username),
            "must be set when a Password is set (MQTT 3.1.1).");
        Check(KeepAliveSeconds is >= 0 and <= ushort.MaxValue, nameof(KeepAliveSeconds), $"must be 0–65535 (is {KeepAliveSeconds}).");
        Check(PingTimeout > TimeSpan.Zero, nameof(PingTimeout), "must be positive.");
        Check(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive.");
        Check(ProtocolVersion is MqttProtocolVersion.V311 or MqttProtocolVersion.V500, nameof(ProtocolVersion), $"must be 4 or 5 (is {(int)ProtocolVersion}).");
        Check(MaxPacketSize is >= 128 and <= MqttPacketDecoder.MaxPacketSizeLimit, nameof(MaxPacketSize),
            $"must be 128–{MqttPacketDecoder.MaxPacketSizeLimit} bytes (is {MaxPacketSize}).");
        Check(ReceiveQueueCapacity is >= 1 and <= 1_000_000, nameof(ReceiveQueueCapacity), $"must be 1–1000000 (is {ReceiveQueueCapacity}).");
        Check(ReceiveMaximum is null or (>= 1 and <= ushort.MaxValue), nameof(ReceiveMaximum), $"must be 1–65535 or unset (is {ReceiveMaximum}).");
        Check(MaxInflightPublishes is >= 1 and <= 65_000, nameof(MaxInflightPublishes), $"must be 1–65000 (is {MaxInflightPublishes}).");
        Check(ReconnectMinDelay > TimeSpan.Zero, nameof(ReconnectMinDelay), "must be positive.");
        Check(ReconnectMaxDelay >= ReconnectMinDelay, nameof(ReconnectMaxDelay), "must be at least ReconnectMinDelay.");
        Check(WillTopic is null || (WillTopic.Length > 0 && WillTopic.IndexOfAny(['+', '#']) < 0 && MqttUtf8.IsValid(WillTopic)), nameof(WillTopic),
            "must be a topic name without wildcards.");
        Check(WillQoS <= MqttQualityOfService.AtLeastOnce, nameof(WillQoS), "must be 0 or 1.");
        return errors;
    }

    /// <summary>Throws <see cref="MqttOptionsException"/> listing every problem, or returns when the settings are usable.</summary>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
            throw new MqttOptionsException(errors);
    }
}
