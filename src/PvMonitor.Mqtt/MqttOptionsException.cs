namespace PvMonitor.Mqtt;

/// <summary><see cref="MqttClientOptions"/> are not usable; <see cref="Errors"/> names each offending key.</summary>
public sealed class MqttOptionsException : MqttException
{
    public MqttOptionsException(IReadOnlyList<string> errors)
        : base("Invalid MQTT settings: " + string.Join(" ", errors))
    {
        Errors = errors;
    }

    /// <summary>One line per problem, each starting with its key, e.g. <c>Mqtt:Port must be 1–65535 (is 0).</c></summary>
    public IReadOnlyList<string> Errors { get; }
}
