using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Session;

public class ReconnectTests
{
    [Fact]
    public async Task After_a_drop_unacked_publishes_are_resent_with_dup_and_lost_subscriptions_restored()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();
        var subscribing = h.Client.SubscribeAsync("pv/#");
        var subscribe = await broker.ReceiveAsync<SubscribePacket>();
        await broker.SendAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = [MqttReasonCode.GrantedQoS1] });
        await subscribing;
        var publishing = h.Client.PublishAsync("pv/alerts", "a1"u8.ToArray());
        var original = await broker.ReceiveAsync<PublishPacket>();

        broker.Drop();

        // Polly's first retry is immediate; the broker lost our session.
        var (second, connect) = await h.Broker.AcceptAndAckAsync(sessionPresent: false);
        connect.CleanSession.Should().BeFalse();
        var resent = await second.ReceiveAsync<PublishPacket>();
        resent.PacketId.Should().Be(original.PacketId);
        resent.Dup.Should().BeTrue();
        resent.Payload.ToArray().Should().Equal("a1"u8.ToArray());
        var restored = await second.ReceiveAsync<SubscribePacket>();
        restored.TopicFilters.Select(f => f.Filter).Should().Equal("pv/#");
        await second.SendAsync(new SubAckPacket { PacketId = restored.PacketId, ReasonCodes = [MqttReasonCode.GrantedQoS1] });
        await second.SendAsync(new PubAckPacket { PacketId = resent.PacketId });

        await publishing.WaitAsync(TimeSpan.FromSeconds(5));
        await Eventually.True(() => h.Client.State == MqttConnectionState.Connected, "reconnected");
        var health = h.Client.GetHealth();
        health.ReconnectCount.Should().Be(1);
        health.LastError.Should().NotBeNull();
        h.States.Should().Equal(MqttConnectionState.Connecting, MqttConnectionState.Connected, MqttConnectionState.Reconnecting, MqttConnectionState.Connected);
    }

    [Fact]
    public async Task When_the_broker_kept_the_session_subscriptions_are_not_sent_again()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();
        var subscribing = h.Client.SubscribeAsync("pv/#");
        var subscribe = await broker.ReceiveAsync<SubscribePacket>();
        await broker.SendAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = [MqttReasonCode.GrantedQoS1] });
        await subscribing;

        broker.Drop();
        var (second, _) = await h.Broker.AcceptAndAckAsync(sessionPresent: true);

        // Re-subscribing would make the broker resend retained messages; the next thing we send must be our own publish.
        await Eventually.True(() => h.Client.State == MqttConnectionState.Connected, "reconnected");
        var publishing = h.Client.PublishAsync("pv/x", "1"u8.ToArray(), MqttQualityOfService.AtMostOnce);
        (await second.ReceiveAsync<PublishPacket>()).Topic.Should().Be("pv/x");
        await publishing;
        h.Client.GetHealth().SessionPresent.Should().BeTrue();
    }

    [Fact]
    public async Task Acks_of_messages_from_a_closed_connection_are_dropped_and_the_broker_redelivers()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();
        await broker.SendAsync(new PublishPacket { Topic = "pv/a", QoS = MqttQualityOfService.AtLeastOnce, PacketId = 1, Payload = "x"u8.ToArray() });
        var before = await h.Client.Messages.ReadAsync();

        broker.Drop();
        var (second, _) = await h.Broker.AcceptAndAckAsync(sessionPresent: true);
        await second.SendAsync(new PublishPacket { Topic = "pv/a", QoS = MqttQualityOfService.AtLeastOnce, PacketId = 1, Dup = true, Payload = "x"u8.ToArray() });
        var redelivered = await h.Client.Messages.ReadAsync();

        await before.AckAsync();
        await second.Invoking(b => b.ReceiveAnyAsync(0.2)).Should().ThrowAsync<OperationCanceledException>("the stale ack must not acknowledge the redelivery");
        redelivered.Dup.Should().BeTrue();
        await redelivered.AckAsync();
        (await second.ReceiveAsync<PubAckPacket>()).PacketId.Should().Be(1);
    }

    [Fact]
    public async Task Reconnect_delays_grow_with_jitter_up_to_the_cap_and_depend_only_on_the_seed()
    {
        var first = await ObserveDelaysAsync(seed: 7, attempts: 10);
        var again = await ObserveDelaysAsync(seed: 7, attempts: 10);
        var other = await ObserveDelaysAsync(seed: 8, attempts: 10);

        first.Should().Equal(again, "time and randomness are injected");
        first.Should().NotEqual(other);
        first.Should().OnlyContain(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(8), "the cap is 8 s");
        first.Take(2).Average(d => d.TotalSeconds).Should().BeLessThan(first.Skip(6).Average(d => d.TotalSeconds), "backoff is exponential");
    }

    [Fact]
    public async Task A_broker_disconnect_with_a_reason_is_recorded_and_the_client_reconnects()
    {
        await using var h = new SessionHarness(version: MqttProtocolVersion.V500);
        var (broker, _) = await h.ConnectAsync();

        await broker.SendAsync(new DisconnectPacket { ReasonCode = MqttReasonCode.ServerShuttingDown, ReasonString = "maintenance" });

        await h.Broker.AcceptAndAckAsync();
        await Eventually.True(() => h.Client.GetHealth().ReconnectCount == 1, "reconnected");
        h.Client.GetHealth().LastError.Should().Contain("ServerShuttingDown").And.Contain("maintenance");
    }

    private static async Task<List<TimeSpan>> ObserveDelaysAsync(int seed, int attempts)
    {
        await using var h = new SessionHarness(o =>
        {
            o.ConnectTimeout = TimeSpan.FromSeconds(30);
            o.KeepAliveSeconds = 0; // no keep-alive timer beside the retry delay
        }, seed: seed);
        var (broker, _) = await h.ConnectAsync();
        h.Broker.RefuseConnections = true;
        broker.Drop();

        var delays = new List<TimeSpan>();
        for (var i = 0; i < attempts; i++)
        {
            // After each failed attempt exactly one timer is armed: Polly's delay before the next attempt
            // (the 30 s connect timeout of an attempt in progress is told apart by its length).
            await Eventually.True(() => h.Time.PendingDelays is [var only] && only < TimeSpan.FromSeconds(30),
                () => $"the retry delay is armed (timers: {string.Join(", ", h.Time.PendingDelays)})");
            var attemptsSoFar = h.Broker.Attempts;
            var delay = h.Time.PendingDelays.Single();
            delays.Add(delay);
            h.Time.Advance(delay);
            await Eventually.True(() => h.Broker.Attempts > attemptsSoFar, "the next attempt ran");
        }

        h.Client.State.Should().Be(MqttConnectionState.Reconnecting);
        h.Client.GetHealth().FailedConnectAttempts.Should().BeGreaterThanOrEqualTo(attempts);
        h.Broker.RefuseConnections = false;
        return delays;
    }
}
