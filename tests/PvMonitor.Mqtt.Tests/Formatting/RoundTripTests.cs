using System.Buffers;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Tests.Formatting;

public class RoundTripTests
{
    private static readonly MqttUserProperty[] User = [new("site", "Ødegård"), new("k", "")];

    public static TheoryData<string, MqttProtocolVersion> Packets()
    {
        var data = new TheoryData<string, MqttProtocolVersion>();
        foreach (var name in Build(MqttProtocolVersion.V500).Keys)
        {
            data.Add(name, MqttProtocolVersion.V500);
            if (Build(MqttProtocolVersion.V311).ContainsKey(name))
                data.Add(name, MqttProtocolVersion.V311);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void Encode_then_decode_gives_the_same_packet(string name, MqttProtocolVersion version)
    {
        var packet = Build(version)[name];
        var output = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(packet, version, output);

        new MqttPacketDecoder(version).TryDecode(output.WrittenSpan, out var decoded, out var consumed).Should().BeTrue();

        consumed.Should().Be(output.WrittenCount);
        PacketAssert.Equivalent(decoded!, packet);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127 - 5)]
    [InlineData(128)]
    [InlineData(16_383)]
    [InlineData(16_384)]
    [InlineData(2_097_151)]
    [InlineData(2_097_152)]
    public void Payloads_across_every_remaining_length_boundary_round_trip(int payloadLength)
    {
        var payload = new byte[payloadLength];
        new Random(payloadLength).NextBytes(payload);
        var packet = new PublishPacket { Topic = "t", Payload = payload };
        var output = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(packet, MqttProtocolVersion.V311, output);

        var header = output.WrittenSpan[0];
        header.Should().Be(0x30);
        new MqttPacketDecoder(MqttProtocolVersion.V311).TryDecode(output.WrittenSpan, out var decoded, out _).Should().BeTrue();
        ((PublishPacket)decoded!).Payload.ToArray().Should().Equal(payload);
    }

    private static Dictionary<string, MqttPacket> Build(MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        var packets = new Dictionary<string, MqttPacket>
        {
            ["CONNECT"] = new ConnectPacket
            {
                ProtocolVersion = version, ClientId = "pvmonitor-ingest-01", CleanSession = false, KeepAliveSeconds = 65535,
                Username = "ingest", Password = [0, 1, 2, 255], WillTopic = "pv/status/ingest-01", WillPayload = "offline"u8.ToArray(),
                WillQoS = MqttQualityOfService.AtLeastOnce, WillRetain = true,
                SessionExpiryInterval = v5 ? uint.MaxValue : 0,
                ReceiveMaximum = v5 ? (ushort)1000 : null,
                MaximumPacketSize = v5 ? 1_048_576u : null,
                TopicAliasMaximum = v5 ? (ushort)0 : null,
                RequestProblemInformation = v5 ? true : null,
                UserProperties = v5 ? User : null,
            },
            ["CONNACK"] = new ConnAckPacket
            {
                SessionPresent = true,
                SessionExpiryInterval = v5 ? 600u : null,
                ReceiveMaximum = v5 ? (ushort)20 : null,
                MaximumQoS = v5 ? MqttQualityOfService.AtLeastOnce : null,
                RetainAvailable = v5 ? true : null,
                MaximumPacketSize = v5 ? 268_435_460u : null,
                AssignedClientIdentifier = v5 ? "auto-7" : null,
                TopicAliasMaximum = v5 ? (ushort)10 : null,
                ReasonString = v5 ? "welcome" : null,
                WildcardSubscriptionAvailable = v5 ? true : null,
                SubscriptionIdentifiersAvailable = v5 ? false : null,
                SharedSubscriptionAvailable = v5 ? true : null,
                ServerKeepAlive = v5 ? (ushort)45 : null,
                ResponseInformation = v5 ? "resp/" : null,
                ServerReference = v5 ? "other:1883" : null,
                UserProperties = v5 ? User : null,
            },
            ["PUBLISH"] = new PublishPacket
            {
                Topic = "pv/plant-1/inverter-3/string-2", Payload = "{\"i\":8.1,\"v\":612.4}"u8.ToArray(), QoS = MqttQualityOfService.AtLeastOnce,
                PacketId = 65535, Dup = true, Retain = true,
                PayloadFormatIndicator = v5 ? (byte)1 : null,
                MessageExpiryInterval = v5 ? 3600u : null,
                ContentType = v5 ? "application/json" : null,
                ResponseTopic = v5 ? "reply/1" : null,
                CorrelationData = v5 ? new byte[] { 9, 8, 7 } : null,
                SubscriptionIdentifiers = v5 ? [1u, 268_435_455u] : null,
                UserProperties = v5 ? User : null,
            },
            ["PUBACK"] = new PubAckPacket
            {
                PacketId = 1, ReasonCode = v5 ? MqttReasonCode.QuotaExceeded : MqttReasonCode.Success,
                ReasonString = v5 ? "slow down" : null, UserProperties = v5 ? User : null,
            },
            ["SUBSCRIBE"] = new SubscribePacket
            {
                PacketId = 7,
                TopicFilters =
                [
                    new MqttTopicFilter("pv/+/+/+"),
                    new MqttTopicFilter("$share/ingest/pv/#", MqttQualityOfService.AtMostOnce),
                    new MqttTopicFilter("x", MqttQualityOfService.ExactlyOnce)
                    {
                        NoLocal = v5, RetainAsPublished = v5, RetainHandling = v5 ? MqttRetainHandling.SendAtSubscribeIfNew : MqttRetainHandling.SendAtSubscribe,
                    },
                ],
                SubscriptionIdentifier = v5 ? 300u : null,
                UserProperties = v5 ? User : null,
            },
            ["SUBACK"] = new SubAckPacket
            {
                PacketId = 7, ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.GrantedQoS0, MqttReasonCode.GrantedQoS2, MqttReasonCode.UnspecifiedError],
                ReasonString = v5 ? "partly" : null, UserProperties = v5 ? User : null,
            },
            ["UNSUBSCRIBE"] = new UnsubscribePacket { PacketId = 8, TopicFilters = ["pv/#", "a/b"], UserProperties = v5 ? User : null },
            ["UNSUBACK"] = new UnsubAckPacket
            {
                PacketId = 8, ReasonCodes = v5 ? [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted] : [],
                ReasonString = v5 ? "done" : null, UserProperties = v5 ? User : null,
            },
            ["PINGREQ"] = PingReqPacket.Instance,
            ["PINGRESP"] = PingRespPacket.Instance,
            ["DISCONNECT"] = v5
                ? new DisconnectPacket
                {
                    ReasonCode = MqttReasonCode.ServerMoved, SessionExpiryInterval = 5, ReasonString = "bye", ServerReference = "b:1883", UserProperties = User,
                }
                : new DisconnectPacket(),
        };
        return packets;
    }
}
