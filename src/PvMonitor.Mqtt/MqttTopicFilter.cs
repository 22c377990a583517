namespace PvMonitor.Mqtt;

/// <summary>
/// One subscription: a topic filter (wildcards <c>+</c> and <c>#</c> allowed; <c>$share/group/filter</c> for a shared
/// subscription) and the maximum QoS wanted. The MQTT 5 options are ignored on 3.1.1 connections.
/// </summary>
/// <param name="Filter">Topic filter, 1–65,535 bytes of UTF-8.</param>
/// <param name="QoS">Maximum QoS the broker should deliver with; default QoS 1.</param>
public sealed record MqttTopicFilter(string Filter, MqttQualityOfService QoS = MqttQualityOfService.AtLeastOnce)
{
    /// <summary>MQTT 5: do not receive our own publications on this subscription. Default false.</summary>
    public bool NoLocal { get; init; }

    /// <summary>MQTT 5: keep the retain flag as published instead of clearing it on live messages. Default false.</summary>
    public bool RetainAsPublished { get; init; }

    /// <summary>MQTT 5: when retained messages are sent. Default <see cref="MqttRetainHandling.SendAtSubscribe"/>.</summary>
    public MqttRetainHandling RetainHandling { get; init; }
}
