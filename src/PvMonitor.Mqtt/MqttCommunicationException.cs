namespace PvMonitor.Mqtt;

/// <summary>
/// The connection could not be made or was lost (socket error, TLS failure, timeout, broker closed it,
/// keep-alive expired). The inner exception carries the transport detail.
/// </summary>
public sealed class MqttCommunicationException : MqttException
{
    public MqttCommunicationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
