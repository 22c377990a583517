namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>The broker answered CONNECT with a refusal (CONNACK return code / reason code other than success).</summary>
public sealed class MqttConnectRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The numeric CONNACK code (3.1.1 return code or MQTT 5 reason code).</param>
    /// <param name="reason">The code's name, e.g. <c>NotAuthorized</c>.</param>
    /// <param name="isConfigurationError">True when retrying cannot help without a configuration change (credentials, client id, protocol).</param>
    public MqttConnectRefusedException(int code, string reason, bool isConfigurationError)
        : base($"The broker refused the connection: {reason} (code {code})" + (isConfigurationError ? " — check Mqtt:Username, Mqtt:Password, Mqtt:ClientId and Mqtt:ProtocolVersion." : "."))
    {
        Code = code;
        Reason = reason;
        IsConfigurationError = isConfigurationError;
    }

    /// <summary>The numeric CONNACK code.</summary>
    public int Code { get; }

    /// <summary>The code's name, e.g. <c>NotAuthorized</c> or <c>BadUserNameOrPassword</c>.</summary>
    public string Reason { get; }

    /// <summary>True when retrying cannot help without a configuration change.</summary>
    public bool IsConfigurationError { get; }
}
