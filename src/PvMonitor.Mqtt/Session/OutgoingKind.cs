namespace PvMonitor.Mqtt.Session;

/// <summary>What an <see cref="OutgoingPacket"/> holds.</summary>
internal enum OutgoingKind : byte
{
    Packet,
    PubAck,
    PingReq,
}
