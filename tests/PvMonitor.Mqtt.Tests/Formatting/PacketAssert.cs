using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Tests.Formatting;

/// <summary>Structural comparison of packets; payload memory is compared by content.</summary>
internal static class PacketAssert
{
    public static void Equivalent(MqttPacket actual, MqttPacket expected)
    {
        actual.Should().BeOfType(expected.GetType());
        if (expected is PublishPacket publish)
        {
            var actualPublish = (PublishPacket)actual;
            actualPublish.Payload.ToArray().Should().Equal(publish.Payload.ToArray());
            actualPublish.Should().BeEquivalentTo(publish, o => o.Excluding(p => p.Payload));
            return;
        }

        actual.Should().BeEquivalentTo(expected, o => o.RespectingRuntimeTypes());
    }
}
