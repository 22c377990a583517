using System.Diagnostics.CodeAnalysis;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>Throw helpers kept out of the hot decode methods so those stay small and inlinable.</summary>
internal static class MqttThrow
{
    [DoesNotReturn]
    public static void Malformed(string message) => throw new MqttProtocolException(message, MqttReasonCode.MalformedPacket);

    [DoesNotReturn]
    public static void ProtocolError(string message) => throw new MqttProtocolException(message, MqttReasonCode.ProtocolError);

    [DoesNotReturn]
    public static void TooLarge(int type, long frameLength, int maxPacketSize) =>
        throw new MqttProtocolException(
            $"A {TypeName(type)} packet of {frameLength} bytes exceeds the maximum packet size of {maxPacketSize} bytes.",
            MqttReasonCode.PacketTooLarge);

    [DoesNotReturn]
    public static void Truncated() => Malformed("The packet ends before its fields do.");

    private static string TypeName(int type) =>
        type is >= 1 and <= 15 ? ((Packets.MqttPacketType)type).ToString().ToUpperInvariant() : $"type-{type}";
}
