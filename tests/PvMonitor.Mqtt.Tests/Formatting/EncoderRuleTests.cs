using System.Buffers;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Tests.Formatting;

public class EncoderRuleTests
{
    public static TheoryData<string, MqttPacket> Invalid => new()
    {
        { "U+0000 in a topic", new PublishPacket { Topic = "a\0b" } },
        { "lone high surrogate", new PublishPacket { Topic = "a\uD800" } },
        { "lone low surrogate", new ConnectPacket { ClientId = "\uDC00" } },
        { "string over 65,535 UTF-8 bytes", new PublishPacket { Topic = new string('é', 40_000) } },
        { "wildcard in a topic name", new PublishPacket { Topic = "a/+" } },
        { "empty topic", new PublishPacket { Topic = "" } },
        { "QoS 1 without packet id", new PublishPacket { Topic = "a", QoS = MqttQualityOfService.AtLeastOnce } },
        { "DUP on QoS 0", new PublishPacket { Topic = "a", Dup = true } },
        { "3.1.1 password without user", new ConnectPacket { Password = [1] } },
        { "SUBSCRIBE without filters", new SubscribePacket { PacketId = 1 } },
        { "SUBSCRIBE with packet id 0", new SubscribePacket { TopicFilters = [new MqttTopicFilter("a")] } },
        { "PUBACK with packet id 0", new PubAckPacket() },
        { "UNSUBSCRIBE without filters", new UnsubscribePacket { PacketId = 1 } },
        { "CONNACK code without a 3.1.1 equivalent", new ConnAckPacket { ReasonCode = MqttReasonCode.Banned } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_packets_are_refused_before_any_byte_is_written(string because, MqttPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();

        var act = () => MqttPacketEncoder.Encode(packet, MqttProtocolVersion.V311, output);

        act.Should().Throw<MqttProtocolException>(because);
        output.WrittenCount.Should().Be(0);
    }

    [Fact]
    public void A_packet_over_the_peers_maximum_is_refused()
    {
        var output = new ArrayBufferWriter<byte>();
        var packet = new PublishPacket { Topic = "t", Payload = new byte[200] };

        var act = () => MqttPacketEncoder.Encode(packet, MqttProtocolVersion.V500, output, maxPacketSize: 100);

        act.Should().Throw<MqttProtocolException>().Which.ReasonCode.Should().Be(MqttReasonCode.PacketTooLarge);
        output.WrittenCount.Should().Be(0);
    }

    [Fact]
    public void PubAck_fast_path_matches_the_general_encoder()
    {
        var fast = new ArrayBufferWriter<byte>();
        var general = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.WritePubAck(fast, 0xBEEF);
        MqttPacketEncoder.Encode(new PubAckPacket { PacketId = 0xBEEF }, MqttProtocolVersion.V500, general);

        fast.WrittenSpan.ToArray().Should().Equal(general.WrittenSpan.ToArray());
    }
}
