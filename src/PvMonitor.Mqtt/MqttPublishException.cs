namespace PvMonitor.Mqtt;

/// <summary>An MQTT 5 broker answered a QoS 1 PUBLISH with a failure reason code in its PUBACK.</summary>
public sealed class MqttPublishException : MqttException
{
    public MqttPublishException(string topic, MqttReasonCode reasonCode, string? reasonString)
        : base($"The broker rejected the message on '{topic}': {reasonCode} (0x{(byte)reasonCode:X2})" + (reasonString is null ? "." : $": {reasonString}"))
    {
        ReasonCode = reasonCode;
        ReasonString = reasonString;
    }

    /// <summary>The PUBACK reason code (0x80 or higher).</summary>
    public MqttReasonCode ReasonCode { get; }

    /// <summary>The reason string the broker added, if any.</summary>
    public string? ReasonString { get; }
}
