namespace PvMonitor.Hosting.Options;

/// <summary>The MQTT broker the daemon ingests telemetry from (section <c>Mqtt</c>).</summary>
public sealed class MqttOptions : IServiceOptions
{
    /// <inheritdoc />
    public static string SectionName => "Mqtt";

    /// <summary>Broker host name or address. Default <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker TCP port. Default 1883 (use 8883 with <see cref="Tls"/>).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Connect with TLS, validating the server certificate. Default false.</summary>
    public bool Tls { get; set; }

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

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host)) yield return "Mqtt:Host must not be empty.";
        if (Port is < 1 or > 65535) yield return $"Mqtt:Port must be 1–65535 (was {Port}).";
        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 64) yield return "Mqtt:ClientId must be 1–64 characters.";
        if (string.IsNullOrWhiteSpace(Topic)) yield return "Mqtt:Topic must not be empty.";
        if (!string.IsNullOrEmpty(Password) && string.IsNullOrEmpty(Username)) yield return "Mqtt:Password needs Mqtt:Username.";
        if (SharedGroup is { Length: > 0 } g && (g.Contains('/') || g.Contains('+') || g.Contains('#')))
            yield return "Mqtt:SharedGroup must not contain '/', '+' or '#'.";
        if (KeepAliveSeconds is < 0 or > 65535) yield return $"Mqtt:KeepAliveSeconds must be 0–65535 (was {KeepAliveSeconds}).";
    }
}
