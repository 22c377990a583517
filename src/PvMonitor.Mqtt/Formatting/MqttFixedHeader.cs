using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>The fixed header of one packet: type and flags byte, then the remaining length.</summary>
public readonly record struct MqttFixedHeader(byte FirstByte, int RemainingLength, int HeaderLength)
{
    public MqttPacketType Type => (MqttPacketType)(FirstByte >> 4);

    /// <summary>The low nibble of the first byte.</summary>
    public byte Flags => (byte)(FirstByte & 0x0F);

    /// <summary>Bytes of the whole packet: fixed header plus remaining length.</summary>
    public int FrameLength => HeaderLength + RemainingLength;
}
