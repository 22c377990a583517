namespace PvMonitor.Mqtt.Packets;

/// <summary>CONNECT: the first packet a client sends.</summary>
public sealed class ConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    /// <summary>Protocol level; default 3.1.1.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V311;

    /// <summary>Client identifier, 0–65,535 bytes of UTF-8 (empty asks the broker to assign one).</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Clean session (3.1.1) / clean start (MQTT 5).</summary>
    public bool CleanSession { get; set; }

    /// <summary>Keep-alive in seconds; 0 disables it.</summary>
    public ushort KeepAliveSeconds { get; set; }

    public string? Username { get; set; }

    public byte[]? Password { get; set; }

    /// <summary>Will topic; null means no will message.</summary>
    public string? WillTopic { get; set; }

    public byte[] WillPayload { get; set; } = [];

    public MqttQualityOfService WillQoS { get; set; }

    public bool WillRetain { get; set; }

    /// <summary>MQTT 5: session expiry in seconds (0 = ends with the connection, 0xFFFFFFFF = never).</summary>
    public uint SessionExpiryInterval { get; set; }

    /// <summary>MQTT 5: how many unacknowledged QoS 1/2 messages the client accepts at once.</summary>
    public ushort? ReceiveMaximum { get; set; }

    /// <summary>MQTT 5: largest packet, in bytes, the client accepts.</summary>
    public uint? MaximumPacketSize { get; set; }

    /// <summary>MQTT 5: topic aliases the client accepts (absent = 0).</summary>
    public ushort? TopicAliasMaximum { get; set; }

    /// <summary>MQTT 5: whether the broker may send reason strings and user properties on failures.</summary>
    public bool? RequestProblemInformation { get; set; }

    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }
}
