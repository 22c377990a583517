using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Session;

public class DeliveryTests
{
    [Fact]
    public async Task A_QoS1_publish_completes_only_when_the_puback_arrives()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();

        var publishing = h.Client.PublishAsync("pv/alerts", "fault"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true);
        var publish = await broker.ReceiveAsync<PublishPacket>();

        publish.Topic.Should().Be("pv/alerts");
        publish.QoS.Should().Be(MqttQualityOfService.AtLeastOnce);
        publish.Retain.Should().BeTrue();
        publish.Dup.Should().BeFalse();
        publish.PacketId.Should().NotBe(0);
        await Task.Delay(50);
        publishing.IsCompleted.Should().BeFalse("no PUBACK yet");
        h.Client.GetHealth().InflightPublishes.Should().Be(1);

        await broker.SendAsync(new PubAckPacket { PacketId = publish.PacketId });
        await publishing.WaitAsync(TimeSpan.FromSeconds(5));
        h.Client.GetHealth().InflightPublishes.Should().Be(0);
    }

    [Fact]
    public async Task A_QoS0_publish_is_written_without_packet_id()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();

        await h.Client.PublishAsync("pv/x", "1"u8.ToArray(), MqttQualityOfService.AtMostOnce).WaitAsync(TimeSpan.FromSeconds(5));

        var publish = await broker.ReceiveAsync<PublishPacket>();
        publish.QoS.Should().Be(MqttQualityOfService.AtMostOnce);
        publish.PacketId.Should().Be(0);
    }

    [Fact]
    public async Task Publishing_needs_a_started_client_and_a_valid_topic()
    {
        await using var h = new SessionHarness();

        await h.Client.Invoking(c => c.PublishAsync("a", default, MqttQualityOfService.AtMostOnce)).Should().ThrowAsync<MqttCommunicationException>();
        await h.Client.Invoking(c => c.PublishAsync("a", default)).Should().ThrowAsync<MqttCommunicationException>();
        await h.Client.Invoking(c => c.PublishAsync("a/#", default)).Should().ThrowAsync<ArgumentException>();
        await h.Client.Invoking(c => c.PublishAsync("a", default, MqttQualityOfService.ExactlyOnce)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task A_received_QoS1_message_is_acknowledged_only_when_the_application_acks_it()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();

        await broker.SendAsync(new PublishPacket
        {
            Topic = "pv/p1/i1/s1", Payload = "42"u8.ToArray(), QoS = MqttQualityOfService.AtLeastOnce, PacketId = 5, Retain = true,
        });
        var message = await h.Client.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        message.Topic.Should().Be("pv/p1/i1/s1");
        message.Payload.ToArray().Should().Equal("42"u8.ToArray());
        message.QoS.Should().Be(MqttQualityOfService.AtLeastOnce);
        message.Retain.Should().BeTrue();
        message.PacketId.Should().Be(5);
        message.NeedsAck.Should().BeTrue();
        await broker.Invoking(b => b.ReceiveAnyAsync(0.2)).Should().ThrowAsync<OperationCanceledException>("nothing is sent before the ack");

        await message.AckAsync();

        (await broker.ReceiveAsync<PubAckPacket>()).PacketId.Should().Be(5);
        message.NeedsAck.Should().BeFalse();
    }

    [Fact]
    public async Task Acking_twice_sends_one_puback_and_cannot_ack_a_later_message_with_the_same_id()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();
        await broker.SendAsync(new PublishPacket { Topic = "a", QoS = MqttQualityOfService.AtLeastOnce, PacketId = 9, Payload = "1"u8.ToArray() });
        var first = await h.Client.Messages.ReadAsync();
        await first.AckAsync();
        (await broker.ReceiveAsync<PubAckPacket>()).PacketId.Should().Be(9);

        // The broker reuses id 9 for the next message; a repeated ack of the first must not acknowledge it.
        await broker.SendAsync(new PublishPacket { Topic = "a", QoS = MqttQualityOfService.AtLeastOnce, PacketId = 9, Payload = "2"u8.ToArray() });
        var second = await h.Client.Messages.ReadAsync();
        await first.AckAsync();
        await broker.Invoking(b => b.ReceiveAnyAsync(0.2)).Should().ThrowAsync<OperationCanceledException>();
        h.Client.GetHealth().StaleAcks.Should().Be(1);

        await second.AckAsync();
        (await broker.ReceiveAsync<PubAckPacket>()).PacketId.Should().Be(9);
    }

    [Fact]
    public async Task Auto_acknowledge_pubacks_on_receipt()
    {
        await using var h = new SessionHarness(o => o.AutoAcknowledge = true);
        var (broker, _) = await h.ConnectAsync();

        await broker.SendAsync(new PublishPacket { Topic = "a", QoS = MqttQualityOfService.AtLeastOnce, PacketId = 3 });

        (await broker.ReceiveAsync<PubAckPacket>()).PacketId.Should().Be(3);
        var message = await h.Client.Messages.ReadAsync();
        message.NeedsAck.Should().BeFalse();
    }

    [Fact]
    public async Task Subscribe_waits_for_the_suback_and_reports_refused_filters()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();

        var subscribing = h.Client.SubscribeAsync([new MqttTopicFilter("pv/#"), new MqttTopicFilter("$share/g/pv/#", MqttQualityOfService.AtMostOnce)]);
        var subscribe = await broker.ReceiveAsync<SubscribePacket>();
        subscribe.TopicFilters.Select(f => (f.Filter, f.QoS)).Should().Equal(("pv/#", MqttQualityOfService.AtLeastOnce), ("$share/g/pv/#", MqttQualityOfService.AtMostOnce));
        await broker.SendAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.GrantedQoS0] });
        (await subscribing).Should().Equal(MqttReasonCode.GrantedQoS1, MqttReasonCode.GrantedQoS0);

        var refused = h.Client.SubscribeAsync("secret/#");
        var second = await broker.ReceiveAsync<SubscribePacket>();
        await broker.SendAsync(new SubAckPacket { PacketId = second.PacketId, ReasonCodes = [MqttReasonCode.UnspecifiedError] });
        (await refused.Invoking(t => t).Should().ThrowAsync<MqttSubscribeException>()).Which.Message.Should().Contain("secret/#");

        var unsubscribing = h.Client.UnsubscribeAsync(["pv/#"]);
        var unsubscribe = await broker.ReceiveAsync<UnsubscribePacket>();
        unsubscribe.TopicFilters.Should().Equal("pv/#");
        await broker.SendAsync(new UnsubAckPacket { PacketId = unsubscribe.PacketId });
        await unsubscribing.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/#/b")]
    [InlineData("a+")]
    [InlineData("$share/g")]
    [InlineData("$share//a")]
    [InlineData("$share/g+/a")]
    public async Task Invalid_filters_are_refused_locally(string filter)
    {
        await using var h = new SessionHarness();
        await h.ConnectAsync();

        await h.Client.Invoking(c => c.SubscribeAsync(filter)).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Mqtt5_refusing_puback_fails_the_publish()
    {
        await using var h = new SessionHarness(version: MqttProtocolVersion.V500);
        var (broker, _) = await h.ConnectAsync();

        var publishing = h.Client.PublishAsync("pv/x", "1"u8.ToArray());
        var publish = await broker.ReceiveAsync<PublishPacket>();
        await broker.SendAsync(new PubAckPacket { PacketId = publish.PacketId, ReasonCode = MqttReasonCode.NotAuthorized });

        (await publishing.Invoking(t => t).Should().ThrowAsync<MqttPublishException>()).Which.ReasonCode.Should().Be(MqttReasonCode.NotAuthorized);
    }

    [Fact]
    public async Task Mqtt5_send_window_follows_the_brokers_receive_maximum()
    {
        await using var h = new SessionHarness(version: MqttProtocolVersion.V500);
        var (broker, _) = await h.ConnectAsync(connAck: new ConnAckPacket { ReceiveMaximum = 2 });

        var publishes = Enumerable.Range(0, 5).Select(i => h.Client.PublishAsync("pv/x", new[] { (byte)i })).ToArray();
        var first = await broker.ReceiveAsync<PublishPacket>();
        var second = await broker.ReceiveAsync<PublishPacket>();
        await broker.Invoking(b => b.ReceiveAnyAsync(0.2)).Should().ThrowAsync<OperationCanceledException>("two are in flight");

        await broker.SendAsync(new PubAckPacket { PacketId = first.PacketId });
        var third = await broker.ReceiveAsync<PublishPacket>();
        third.Payload.ToArray().Should().Equal([2]);
        await publishes[0].WaitAsync(TimeSpan.FromSeconds(5));
        publishes[1].IsCompleted.Should().BeFalse();
        second.Payload.ToArray().Should().Equal([1]);
    }

    [Fact]
    public async Task An_oversized_publish_is_skipped_unbuffered_acked_and_counted_and_the_stream_goes_on()
    {
        await using var h = new SessionHarness(o => o.MaxPacketSize = 1024);
        var (broker, _) = await h.ConnectAsync();
        var big = new System.Buffers.ArrayBufferWriter<byte>();
        PvMonitor.Mqtt.Formatting.MqttPacketEncoder.Encode(new PublishPacket
        {
            Topic = "pv/firmware", Payload = new byte[100_000], QoS = MqttQualityOfService.AtLeastOnce, PacketId = 7,
        }, MqttProtocolVersion.V311, big);

        // Dribble it in so the prefix and the skipped tail arrive across many reads.
        foreach (var chunk in big.WrittenMemory.ToArray().Chunk(997))
        {
            await broker.SendRawAsync(chunk);
            await Task.Yield();
        }

        await broker.SendAsync(new PublishPacket { Topic = "pv/p1", Payload = "ok"u8.ToArray() });

        (await broker.ReceiveAsync<PubAckPacket>()).PacketId.Should().Be(7, "a dead-lettered message must not come back forever");
        var next = await h.Client.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        next.Topic.Should().Be("pv/p1");
        h.Client.GetHealth().OversizedMessagesDropped.Should().Be(1);
        h.Client.State.Should().Be(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task An_oversized_packet_of_another_type_ends_the_connection_with_a_typed_error()
    {
        await using var h = new SessionHarness(o => o.MaxPacketSize = 1024);
        var (broker, _) = await h.ConnectAsync();

        await broker.SendRawAsync(Hex.Bytes("90 FF FF 03")); // a SUBACK claiming 65,535 bytes

        await Eventually.True(() => h.Client.State == MqttConnectionState.Reconnecting, "the connection is dropped");
        h.Client.GetHealth().LastError.Should().Contain("maximum packet size");
    }

    [Fact]
    public async Task Disposing_completes_the_message_stream()
    {
        var h = new SessionHarness();
        await h.ConnectAsync();

        await h.DisposeAsync();

        h.Client.Messages.Completion.IsCompleted.Should().BeTrue();
        h.Client.State.Should().Be(MqttConnectionState.Disconnected);
    }

    [Fact]
    public async Task Disconnect_sends_disconnect_and_fails_pending_publishes()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();
        var publishing = h.Client.PublishAsync("pv/x", "1"u8.ToArray());
        await broker.ReceiveAsync<PublishPacket>();

        await h.Client.DisconnectAsync();

        await broker.ReceiveAsync<DisconnectPacket>();
        await publishing.Invoking(t => t).Should().ThrowAsync<MqttCommunicationException>();
        h.Client.State.Should().Be(MqttConnectionState.Disconnected);
    }
}
