namespace PvMonitor.Mqtt.Packets;

/// <summary>DISCONNECT: a clean close (MQTT 5: either side, with a reason code).</summary>
public sealed class DisconnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;

    /// <summary>MQTT 5 only; NormalDisconnection on 3.1.1.</summary>
    public MqttReasonCode ReasonCode { get; set; }

    /// <summary>MQTT 5: new session expiry in seconds (client to broker only).</summary>
    public uint? SessionExpiryInterval { get; set; }

    public string? ReasonString { get; set; }

    public string? ServerReference { get; set; }

    public IReadOnlyList<MqttUserProperty>? UserProperties { get; set; }
}
