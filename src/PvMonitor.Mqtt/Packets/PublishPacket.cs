namespace PvMonitor.Mqtt.Packets;

/// <summary>PUBLISH: an application message, in either direction.</summary>
public sealed class PublishPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    /// <summary>Topic name (no wildcards), 1–65,535 bytes of UTF-8 (may be empty in MQTT 5 when a topic alias is set).</summary>
    public string Topic { get; set; } = "";

    public ReadOnlyMemory<byte> Payload { get; set; }

    public MqttQualityOfService QoS { get; set; }

    public bool Retain { get; set; }

    /// <summary>Redelivery of a QoS 1/2 message that may have been received before.</summary>
    public bool Dup { get; set; }

    /// <summary>Packet identifier, 1–65,535; 0 for QoS 0.</summary>
    public ushort PacketId { get; set; }

    /// <summary>MQTT 5: 0 = unspecified bytes, 1 = UTF-8 text.</summary>
    public byte? PayloadFormatIndicator { get; set; }

    /// <summary>MQTT 5: lifetime of the message in seconds.</summary>
    public uint? MessageExpiryInterval { get; set; }

    public ushort? TopicAlias { get; set; }

    public string? ContentType { get; set; }

    public string? ResponseTopic { get; set; }

    public byte[]? CorrelationData { get; set; }

    /// <summary>MQTT 5: identifiers of the matching subscriptions (broker to client only).</summary>
    public IReadOnlyList<uint>? SubscriptionIdentifiers { get; set; }

    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }
}
