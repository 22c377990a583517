using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Session;

public class BackPressureTests
{
    [Fact]
    public async Task A_full_receive_queue_stops_reading_the_socket_until_the_application_catches_up()
    {
        // Queue of 4 messages; the in-memory "socket" holds 1 KiB before the broker's writes block.
        await using var h = new SessionHarness(o => o.ReceiveQueueCapacity = 4, pipeThreshold: 1024);
        var (broker, _) = await h.ConnectAsync();
        const int count = 200;

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await broker.SendAsync(new PublishPacket
                {
                    Topic = "pv/p1/i1/s1", Payload = BitConverter.GetBytes(i).Concat(new byte[96]).ToArray(),
                    QoS = MqttQualityOfService.AtLeastOnce, PacketId = (ushort)(i + 1),
                });
            }
        });

        await Eventually.True(() => h.Client.Messages.Count == 4, "the queue fills");
        await Task.Delay(200);
        sending.IsCompleted.Should().BeFalse("the client stopped reading, so the broker cannot write everything");
        h.Client.Messages.Count.Should().Be(4, "the queue never grows past its capacity");
        h.Client.GetHealth().MessagesReceived.Should().BeLessThan(30, "only what fits in the queue, the socket and one read buffer was taken");

        // Silence while we are the ones not reading is not a dead broker.
        await h.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
        h.Client.State.Should().Be(MqttConnectionState.Connected);

        var received = new List<int>();
        while (received.Count < count)
        {
            var message = await h.Client.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            received.Add(BitConverter.ToInt32(message.Payload.Span));
            await message.AckAsync();
        }

        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        received.Should().Equal(Enumerable.Range(0, count), "order is kept and nothing is dropped");
    }
}
