using PvMonitor.Monitoring.Configuration;

namespace PvMonitor.Hosting.Options;

/// <summary>The MQTT broker the daemon ingests telemetry from (section <c>Mqtt</c>).</summary>
public sealed class MqttOptions : ISectionOptions
{
    /// <inheritdoc />
    public static string SectionName => "Mqtt";

    /// <summary>Broker host name or address. Default <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker TCP port. Default 1883 (use 8883 with <see cref="Tls"/>).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Connect with TLS, validating the server certificate. Default false.</summary>
    public bool Tls { get; set; }

    /// <summary>PEM file of the CA(s) the broker certificate must chain to (only these are trusted; needs <see cref="Tls"/>). Default empty = the system trust store.</summary>
    public string? CaFile { get; set; }

    /// <summary>Client certificate for mutual TLS: PEM (key in <see cref="ClientKeyFile"/> or the same file) or .pfx/.p12. Default empty = none.</summary>
    public string? ClientCertFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertFile"/> when it is a separate file. Default empty.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Host name the broker certificate must carry. Default empty = <see cref="Host"/>.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>User name, or empty for anonymous. Default empty.</summary>
    public string? Username { get; set; }

    /// <summary>Password (only with <see cref="Username"/>). Default empty.</summary>
    public string? Password { get; set; }

    /// <summary>Stable client id, so the broker keeps our persistent session and queued QoS 1 messages. Default <c>pvmonitor</c>.</summary>
    public string ClientId { get; set; } = "pvmonitor";

    /// <summary>Topic filter for telemetry: <c>pv/{plant}/{inverter}/{string}/telemetry</c>. Default <c>pv/+/+/+/telemetry</c>.</summary>
    public string Topic { get; set; } = "pv/+/+/+/telemetry";

    /// <summary>When set, subscribe as <c>$share/{group}/{topic}</c> so several workers split the fleet. Default empty (no sharing).</summary>
    public string? SharedGroup { get; set; }

    /// <summary>Keep-alive interval, seconds. Default 30.</summary>
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>
    /// Received messages buffered by the MQTT client. Default 4096. When full the client stops reading the socket. The MQTT 5
    /// receive maximum announced is this plus what the pipeline holds unacknowledged (at most 65,535). For QoS 1 throughput
    /// also raise mosquitto's <c>max_inflight_messages</c> (default 20).
    /// </summary>
    public int ReceiveQueueCapacity { get; set; } = 4096;

    /// <summary>
    /// MQTT 5 only: seconds the broker keeps our session (subscription and unacknowledged QoS 1 messages) after a disconnect,
    /// when <see cref="CleanSession"/> is false. Default 604,800 (7 days); 4,294,967,295 = never expires.
    /// </summary>
    public uint SessionExpirySeconds { get; set; } = 604_800;

    /// <summary>MQTT protocol: 4 (3.1.1, default) or 5.</summary>
    public int ProtocolVersion { get; set; } = 4;

    /// <summary>Start with a clean session (the broker forgets unacknowledged messages). Default false: a persistent session, so a restarted worker gets what it missed.</summary>
    public bool CleanSession { get; set; }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate() => Problems().ToList();

    private IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Host)) yield return "Mqtt:Host must not be empty.";
        if (Port is < 1 or > 65535) yield return $"Mqtt:Port must be 1–65535 (was {Port}).";
        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 64) yield return "Mqtt:ClientId must be 1–64 characters.";
        if (string.IsNullOrWhiteSpace(Topic)) yield return "Mqtt:Topic must not be empty.";
        if (!string.IsNullOrEmpty(Password) && string.IsNullOrEmpty(Username)) yield return "Mqtt:Password needs Mqtt:Username.";
        if (SharedGroup is { Length: > 0 } g && (g.Contains('/') || g.Contains('+') || g.Contains('#')))
            yield return "Mqtt:SharedGroup must not contain '/', '+' or '#'.";
        if (ReceiveQueueCapacity is < 1 or > 65000) yield return $"Mqtt:ReceiveQueueCapacity must be 1–65000 (was {ReceiveQueueCapacity}).";
        if (ProtocolVersion is not (4 or 5)) yield return $"Mqtt:ProtocolVersion must be 4 (3.1.1) or 5 (was {ProtocolVersion}).";
        if (!Tls && (!string.IsNullOrEmpty(CaFile) || !string.IsNullOrEmpty(ClientCertFile))) yield return "Mqtt:Tls must be true when Mqtt:CaFile or Mqtt:ClientCertFile is set.";
        if (!string.IsNullOrEmpty(CaFile) && !File.Exists(CaFile)) yield return $"Mqtt:CaFile: '{CaFile}' does not exist.";
        if (!string.IsNullOrEmpty(ClientCertFile) && !File.Exists(ClientCertFile)) yield return $"Mqtt:ClientCertFile: '{ClientCertFile}' does not exist.";
        if (!string.IsNullOrEmpty(ClientKeyFile) && !File.Exists(ClientKeyFile)) yield return $"Mqtt:ClientKeyFile: '{ClientKeyFile}' does not exist.";
        if (!CleanSession && ProtocolVersion == 5 && SessionExpirySeconds == 0) yield return "Mqtt:SessionExpirySeconds must be above 0 for a persistent MQTT 5 session (0 drops unacknowledged messages at every disconnect).";
        if (KeepAliveSeconds is < 0 or > 65535) yield return $"Mqtt:KeepAliveSeconds must be 0–65535 (was {KeepAliveSeconds}).";
    }
}
