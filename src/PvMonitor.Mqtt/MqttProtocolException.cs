namespace PvMonitor.Mqtt;

/// <summary>
/// The bytes on the wire break the MQTT rules: a malformed packet, a forbidden flag, an invalid UTF-8 string,
/// a packet over the maximum size. The decoder throws nothing else for bad input.
/// </summary>
public sealed class MqttProtocolException : MqttException
{
    public MqttProtocolException(string message, MqttReasonCode reasonCode = MqttReasonCode.MalformedPacket)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The MQTT 5 reason code that names the violation (MalformedPacket, ProtocolError, PacketTooLarge, …).</summary>
    public MqttReasonCode ReasonCode { get; }
}
