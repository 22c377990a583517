using Microsoft.Extensions.Logging;

namespace PvMonitor.Mqtt.Session;

/// <summary>Log messages of the MQTT client (source-generated, no allocation when the level is off).</summary>
internal static partial class MqttLog
{
    [LoggerMessage(1, LogLevel.Information, "MQTT connected to {Host}:{Port} as '{ClientId}' (MQTT {Version}, session present: {SessionPresent}).")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, string version, bool sessionPresent);

    [LoggerMessage(2, LogLevel.Warning, "MQTT connection lost; reconnecting.")]
    public static partial void ConnectionLost(ILogger logger, Exception reason);

    [LoggerMessage(3, LogLevel.Warning, "MQTT reconnect attempt {Attempt} failed; next try in {DelaySeconds:0.0} s.")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, double delaySeconds, Exception? error);

    [LoggerMessage(4, LogLevel.Information, "MQTT restored {Count} subscription(s) after the broker lost our session.")]
    public static partial void SubscriptionsRestored(ILogger logger, int count);

    [LoggerMessage(5, LogLevel.Error, "MQTT could not restore subscriptions.")]
    public static partial void SubscriptionRestoreFailed(ILogger logger, Exception error);

    [LoggerMessage(6, LogLevel.Warning, "MQTT broker did not answer a PINGREQ within {TimeoutSeconds} s; closing the connection.")]
    public static partial void PeerDead(ILogger logger, double timeoutSeconds);

    [LoggerMessage(7, LogLevel.Error, "An MQTT StateChanged handler threw.")]
    public static partial void StateHandlerFailed(ILogger logger, Exception error);

    [LoggerMessage(8, LogLevel.Information, "MQTT sending {Count} queued publish(es) on the new connection (DUP set on those sent before).")]
    public static partial void Resending(ILogger logger, int count);

    [LoggerMessage(9, LogLevel.Error, "MQTT publish to '{Topic}' dropped: {Reason}")]
    public static partial void PublishDropped(ILogger logger, string topic, string reason);

    [LoggerMessage(10, LogLevel.Warning, "MQTT message on '{Topic}' dropped: {Size} bytes exceeds Mqtt:MaxPacketSize ({MaxPacketSize} bytes); acknowledged so the broker does not resend it.")]
    public static partial void OversizedDropped(ILogger logger, string topic, int size, int maxPacketSize);
}
