using PvMonitor.Monitoring.Ingest.Mqtt;

namespace PvMonitor.Hosting;

/// <summary>Where telemetry comes from, for <c>/readyz</c> and the operator page: the MQTT broker or the demo's simulated plant.</summary>
public sealed class TelemetrySource
{
    private TelemetrySource(string kind, string description, MqttIngestClient? client)
    {
        Kind = kind;
        Description = description;
        Client = client;
    }

    /// <summary><c>mqtt</c> or <c>demo</c>.</summary>
    public string Kind { get; }

    /// <summary>Broker address and filter, or the demo plant.</summary>
    public string Description { get; }

    /// <summary>The MQTT client (null in the demo).</summary>
    public MqttIngestClient? Client { get; }

    /// <summary>True when telemetry can arrive: MQTT connected, or always for the demo.</summary>
    public bool IsReady => Client?.IsConnected ?? true;

    /// <summary>An MQTT source.</summary>
    public static TelemetrySource Mqtt(MqttIngestClient client, string description) => new("mqtt", description, client);

    /// <summary>The demo's simulated plant.</summary>
    public static TelemetrySource Demo(string description) => new("demo", description, null);
}
