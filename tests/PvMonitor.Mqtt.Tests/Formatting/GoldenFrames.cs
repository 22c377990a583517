using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Tests.Formatting;

/// <summary>
/// Every packet type the codec supports, as a packet and as the exact bytes the spec requires (worked out by hand
/// from MQTT 3.1.1 §3 and MQTT 5 §3; properties in ascending identifier order).
/// </summary>
public static class GoldenFrames
{
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    public static readonly IReadOnlyDictionary<string, (MqttProtocolVersion Version, MqttPacket Packet, string Hex)> All =
        new Dictionary<string, (MqttProtocolVersion, MqttPacket, string)>
        {
            ["3.1.1 CONNECT user+password"] = (V3, new ConnectPacket { ClientId = "pv", KeepAliveSeconds = 30, Username = "u", Password = "p"u8.ToArray() },
                "10 14 00 04 4D 51 54 54 04 C0 00 1E 00 02 70 76 00 01 75 00 01 70"),
            ["3.1.1 CONNECT clean+will"] = (V3, new ConnectPacket
            {
                ClientId = "c", CleanSession = true, KeepAliveSeconds = 60, WillTopic = "w", WillPayload = "x"u8.ToArray(),
                WillQoS = MqttQualityOfService.AtLeastOnce, WillRetain = true,
            }, "10 13 00 04 4D 51 54 54 04 2E 00 3C 00 01 63 00 01 77 00 01 78"),
            ["3.1.1 CONNECT empty client id"] = (V3, new ConnectPacket { CleanSession = true },
                "10 0C 00 04 4D 51 54 54 04 02 00 00 00 00"),
            ["5 CONNECT session expiry"] = (V5, new ConnectPacket
            {
                ProtocolVersion = V5, ClientId = "pv", KeepAliveSeconds = 30, SessionExpiryInterval = 3600, ReceiveMaximum = 100,
                MaximumPacketSize = 1_048_576,
            }, "10 1C 00 04 4D 51 54 54 05 00 00 1E 0D 11 00 00 0E 10 21 00 64 27 00 10 00 00 00 02 70 76"),
            ["5 CONNECT will"] = (V5, new ConnectPacket
            {
                ProtocolVersion = V5, ClientId = "c", CleanSession = true, WillTopic = "w", WillPayload = "x"u8.ToArray(),
            }, "10 15 00 04 4D 51 54 54 05 06 00 00 00 00 01 63 00 00 01 77 00 01 78"),
            ["3.1.1 CONNACK session present"] = (V3, new ConnAckPacket { SessionPresent = true }, "20 02 01 00"),
            ["3.1.1 CONNACK bad credentials"] = (V3, new ConnAckPacket { ReasonCode = MqttReasonCode.BadUserNameOrPassword }, "20 02 00 04"),
            ["3.1.1 CONNACK not authorized"] = (V3, new ConnAckPacket { ReasonCode = MqttReasonCode.NotAuthorized }, "20 02 00 05"),
            ["5 CONNACK properties"] = (V5, new ConnAckPacket { ReceiveMaximum = 20, SharedSubscriptionAvailable = true },
                "20 08 00 00 05 21 00 14 2A 01"),
            ["5 CONNACK refused"] = (V5, new ConnAckPacket { ReasonCode = MqttReasonCode.BadUserNameOrPassword }, "20 03 00 86 00"),
            ["3.1.1 PUBLISH QoS 0"] = (V3, new PublishPacket { Topic = "a/b", Payload = "hi"u8.ToArray() }, "30 07 00 03 61 2F 62 68 69"),
            ["3.1.1 PUBLISH QoS 1 dup retain"] = (V3, new PublishPacket
            {
                Topic = "a/b", Payload = "hi"u8.ToArray(), QoS = MqttQualityOfService.AtLeastOnce, Dup = true, Retain = true, PacketId = 10,
            }, "3B 09 00 03 61 2F 62 00 0A 68 69"),
            ["3.1.1 PUBLISH empty payload"] = (V3, new PublishPacket { Topic = "t", Retain = true }, "31 03 00 01 74"),
            ["5 PUBLISH properties"] = (V5, new PublishPacket
            {
                Topic = "a/b", Payload = "hi"u8.ToArray(), QoS = MqttQualityOfService.AtLeastOnce, PacketId = 1, PayloadFormatIndicator = 1,
                ContentType = "t", UserProperties = [new MqttUserProperty("k", "v")],
            }, "32 17 00 03 61 2F 62 00 01 0D 01 01 03 00 01 74 26 00 01 6B 00 01 76 68 69"),
            ["5 PUBLISH no properties"] = (V5, new PublishPacket { Topic = "a", Payload = "x"u8.ToArray() }, "30 05 00 01 61 00 78"),
            ["3.1.1 PUBACK"] = (V3, new PubAckPacket { PacketId = 10 }, "40 02 00 0A"),
            ["5 PUBACK success"] = (V5, new PubAckPacket { PacketId = 10 }, "40 02 00 0A"),
            ["5 PUBACK reason code"] = (V5, new PubAckPacket { PacketId = 10, ReasonCode = MqttReasonCode.NoMatchingSubscribers }, "40 03 00 0A 10"),
            ["5 PUBACK reason string"] = (V5, new PubAckPacket { PacketId = 10, ReasonCode = MqttReasonCode.UnspecifiedError, ReasonString = "no" },
                "40 09 00 0A 80 05 1F 00 02 6E 6F"),
            ["3.1.1 SUBSCRIBE"] = (V3, new SubscribePacket
            {
                PacketId = 1,
                TopicFilters = [new MqttTopicFilter("a/#"), new MqttTopicFilter("$share/g/b", MqttQualityOfService.AtMostOnce)],
            }, "82 15 00 01 00 03 61 2F 23 01 00 0A 24 73 68 61 72 65 2F 67 2F 62 00"),
            ["5 SUBSCRIBE options"] = (V5, new SubscribePacket
            {
                PacketId = 2, SubscriptionIdentifier = 5,
                TopicFilters = [new MqttTopicFilter("a") { NoLocal = true, RetainAsPublished = true, RetainHandling = MqttRetainHandling.DoNotSend }],
            }, "82 09 00 02 02 0B 05 00 01 61 2D"),
            ["3.1.1 SUBACK"] = (V3, new SubAckPacket { PacketId = 1, ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.UnspecifiedError] },
                "90 04 00 01 01 80"),
            ["5 SUBACK"] = (V5, new SubAckPacket { PacketId = 1, ReasonCodes = [MqttReasonCode.GrantedQoS0, MqttReasonCode.NotAuthorized] },
                "90 05 00 01 00 00 87"),
            ["3.1.1 UNSUBSCRIBE"] = (V3, new UnsubscribePacket { PacketId = 3, TopicFilters = ["a"] }, "A2 05 00 03 00 01 61"),
            ["5 UNSUBSCRIBE"] = (V5, new UnsubscribePacket { PacketId = 3, TopicFilters = ["a"] }, "A2 06 00 03 00 00 01 61"),
            ["3.1.1 UNSUBACK"] = (V3, new UnsubAckPacket { PacketId = 3 }, "B0 02 00 03"),
            ["5 UNSUBACK"] = (V5, new UnsubAckPacket { PacketId = 3, ReasonCodes = [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted] },
                "B0 05 00 03 00 00 11"),
            ["3.1.1 PINGREQ"] = (V3, PingReqPacket.Instance, "C0 00"),
            ["3.1.1 PINGRESP"] = (V3, PingRespPacket.Instance, "D0 00"),
            ["5 PINGREQ"] = (V5, PingReqPacket.Instance, "C0 00"),
            ["5 PINGRESP"] = (V5, PingRespPacket.Instance, "D0 00"),
            ["3.1.1 DISCONNECT"] = (V3, new DisconnectPacket(), "E0 00"),
            ["5 DISCONNECT normal"] = (V5, new DisconnectPacket(), "E0 00"),
            ["5 DISCONNECT reason"] = (V5, new DisconnectPacket { ReasonCode = MqttReasonCode.ServerShuttingDown }, "E0 01 8B"),
            ["5 DISCONNECT session expiry"] = (V5, new DisconnectPacket { SessionExpiryInterval = 0 }, "E0 07 00 05 11 00 00 00 00"),
        };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
            data.Add(name);
        return data;
    }
}
