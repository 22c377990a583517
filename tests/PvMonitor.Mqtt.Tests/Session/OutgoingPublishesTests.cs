using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Session;

namespace PvMonitor.Mqtt.Tests.Session;

public class OutgoingPublishesTests
{
    [Fact]
    public void The_send_window_limits_what_is_on_the_wire()
    {
        var publishes = new OutgoingPublishes();
        for (ushort id = 1; id <= 5; id++)
            publishes.Add(Pending(id));

        Take(publishes, window: 2).Should().Equal(1, 2);
        publishes.Remove(1);
        Take(publishes, window: 2).Should().Equal(3);
        publishes.SentCount.Should().Be(2);
        publishes.Count.Should().Be(4);
    }

    [Fact]
    public void Requeue_after_a_lost_connection_keeps_the_original_order_and_marks_sent_ones_dup()
    {
        var publishes = new OutgoingPublishes();
        var all = Enumerable.Range(1, 6).Select(i => Pending((ushort)(7 - i), sequence: i)).ToList(); // ids 6..1, order 1..6
        all.ForEach(publishes.Add);
        Take(publishes, window: 4).Should().Equal(6, 5, 4, 3);
        publishes.Remove(5);

        publishes.Requeue().Should().Be(3);

        publishes.SentCount.Should().Be(0);
        Take(publishes, window: 10).Should().Equal(6, 4, 3, 2, 1);
        all.Where(p => p.Packet.PacketId is 6 or 4 or 3).Should().OnlyContain(p => p.Packet.Dup);
        all.Where(p => p.Packet.PacketId is 2 or 1).Should().OnlyContain(p => !p.Packet.Dup, "they were never sent");
    }

    private static List<ushort> Take(OutgoingPublishes publishes, int window)
    {
        var taken = new List<ushort>();
        while (publishes.TryTakeNext(window, out var next))
            taken.Add(next.Packet.PacketId);
        return taken;
    }

    private static PendingPublish Pending(ushort id, long sequence = 0) =>
        new(new PublishPacket { Topic = "t", QoS = MqttQualityOfService.AtLeastOnce, PacketId = id }, sequence == 0 ? id : sequence, 10);
}
