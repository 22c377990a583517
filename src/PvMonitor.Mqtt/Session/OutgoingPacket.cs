using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Session;

/// <summary>
/// One entry of a connection's send queue. PUBACK and PINGREQ carry no packet object, so acknowledging a message
/// allocates nothing. <see cref="Written"/>, when set, completes once the bytes are handed to the socket.
/// </summary>
internal readonly record struct OutgoingPacket(OutgoingKind Kind, ushort PacketId, MqttPacket? Packet, TaskCompletionSource? Written)
{
    public static OutgoingPacket PubAck(ushort packetId) => new(OutgoingKind.PubAck, packetId, null, null);

    public static OutgoingPacket Ping { get; } = new(OutgoingKind.PingReq, 0, null, null);

    public static OutgoingPacket Of(MqttPacket packet, TaskCompletionSource? written = null) => new(OutgoingKind.Packet, 0, packet, written);
}
