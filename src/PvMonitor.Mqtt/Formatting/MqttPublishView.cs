namespace PvMonitor.Mqtt.Formatting;

/// <summary>
/// A validated PUBLISH read in place: spans into the receive buffer, nothing copied or allocated.
/// Valid only until the buffer is reused; the session copies what it keeps.
/// </summary>
public readonly ref struct MqttPublishView
{
    internal MqttPublishView(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> properties,
        byte flags, ushort packetId, ushort topicAlias)
    {
        Topic = topic;
        Payload = payload;
        Properties = properties;
        Flags = flags;
        PacketId = packetId;
        TopicAlias = topicAlias;
    }

    /// <summary>The topic name as validated UTF-8 (no wildcards, no U+0000).</summary>
    public ReadOnlySpan<byte> Topic { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>MQTT 5: the validated property block without its length prefix; empty on 3.1.1.</summary>
    public ReadOnlySpan<byte> Properties { get; }

    /// <summary>The low nibble of the fixed header: DUP (8), QoS (6), RETAIN (1).</summary>
    public byte Flags { get; }

    public MqttQualityOfService QoS => (MqttQualityOfService)((Flags >> 1) & 0x03);

    public bool Dup => (Flags & 0x08) != 0;

    public bool Retain => (Flags & 0x01) != 0;

    /// <summary>1–65,535 for QoS 1/2; 0 for QoS 0.</summary>
    public ushort PacketId { get; }

    /// <summary>MQTT 5 topic alias, 0 when absent.</summary>
    public ushort TopicAlias { get; }
}
