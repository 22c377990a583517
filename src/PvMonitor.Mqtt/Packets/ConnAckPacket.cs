namespace PvMonitor.Mqtt.Packets;

/// <summary>CONNACK: the broker's answer to CONNECT.</summary>
public sealed class ConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    /// <summary>The broker still had a session for this client id (queued messages will follow).</summary>
    public bool SessionPresent { get; set; }

    /// <summary>Success, or why the connection was refused (3.1.1 return codes mapped to MQTT 5 codes).</summary>
    public MqttReasonCode ReasonCode { get; set; }

    /// <summary>MQTT 5: the session expiry the broker will use, in seconds.</summary>
    public uint? SessionExpiryInterval { get; set; }

    /// <summary>MQTT 5: how many unacknowledged QoS 1/2 publishes the broker accepts from us.</summary>
    public ushort? ReceiveMaximum { get; set; }

    /// <summary>MQTT 5: highest QoS the broker supports.</summary>
    public MqttQualityOfService? MaximumQoS { get; set; }

    public bool? RetainAvailable { get; set; }

    /// <summary>MQTT 5: largest packet, in bytes, the broker accepts.</summary>
    public uint? MaximumPacketSize { get; set; }

    public string? AssignedClientIdentifier { get; set; }

    public ushort? TopicAliasMaximum { get; set; }

    public string? ReasonString { get; set; }

    public bool? WildcardSubscriptionAvailable { get; set; }

    public bool? SubscriptionIdentifiersAvailable { get; set; }

    public bool? SharedSubscriptionAvailable { get; set; }

    /// <summary>MQTT 5: keep-alive, in seconds, the broker wants us to use instead of ours.</summary>
    public ushort? ServerKeepAlive { get; set; }

    public string? ResponseInformation { get; set; }

    public string? ServerReference { get; set; }

    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }
}
