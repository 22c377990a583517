namespace PvMonitor.Mqtt;

/// <summary>MQTT 5 subscription option: when the broker sends retained messages for a new subscription.</summary>
public enum MqttRetainHandling : byte
{
    /// <summary>Send retained messages at the time of the subscribe (the 3.1.1 behaviour).</summary>
    SendAtSubscribe = 0,

    /// <summary>Send retained messages only if the subscription did not exist before.</summary>
    SendAtSubscribeIfNew = 1,

    /// <summary>Never send retained messages for this subscription.</summary>
    DoNotSend = 2,
}
