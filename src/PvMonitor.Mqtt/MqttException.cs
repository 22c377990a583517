namespace PvMonitor.Mqtt;

/// <summary>Base type of every error this library throws on purpose.</summary>
public class MqttException : Exception
{
    public MqttException(string message)
        : base(message)
    {
    }

    public MqttException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
