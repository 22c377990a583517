namespace PvMonitor.Mqtt;

/// <summary>The broker refused the connection in its CONNACK (wrong password, not authorized, bad client id, …).</summary>
public sealed class MqttConnectException : MqttException
{
    public MqttConnectException(MqttReasonCode reasonCode, string? reasonString = null)
        : base(BuildMessage(reasonCode, reasonString))
    {
        ReasonCode = reasonCode;
        ReasonString = reasonString;
    }

    /// <summary>The CONNACK reason code; 3.1.1 return codes are mapped to their MQTT 5 equivalents.</summary>
    public MqttReasonCode ReasonCode { get; }

    /// <summary>The MQTT 5 reason string the broker added, if any.</summary>
    public string? ReasonString { get; }

    /// <summary>
    /// True when retrying with the same settings cannot succeed (credentials, authorization, client id, protocol version),
    /// so a caller should surface the error instead of retrying silently.
    /// </summary>
    public bool IsConfigurationError => ReasonCode is MqttReasonCode.BadUserNameOrPassword or MqttReasonCode.NotAuthorized
        or MqttReasonCode.ClientIdentifierNotValid or MqttReasonCode.UnsupportedProtocolVersion or MqttReasonCode.Banned
        or MqttReasonCode.BadAuthenticationMethod;

    private static string BuildMessage(MqttReasonCode code, string? reasonString) =>
        $"The MQTT broker refused the connection: {code} (0x{(byte)code:X2})" + (reasonString is null ? "." : $": {reasonString}");
}
