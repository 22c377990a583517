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

    public MqttReasonCode ReasonCode { get; }

    public string? ReasonString { get; }
}
