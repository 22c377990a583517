namespace PvMonitor.Mqtt;

/// <summary><see cref="MqttClientOptions"/> are not usable; <see cref="Errors"/> names each offending key.</summary>
public sealed class MqttOptionsException : MqttException
{
    public MqttOptionsException(IReadOnlyList<string> errors)
        : base("Invalid MQTT settings: " + string.Join(" ", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
