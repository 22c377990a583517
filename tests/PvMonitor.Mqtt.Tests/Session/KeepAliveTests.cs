using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Session;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Session;

public class KeepAliveTests
{
    private const long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void Monitor_pings_after_three_quarters_of_the_keep_alive_without_sending()
    {
        var monitor = new KeepAliveMonitor(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), Second, now: 0);

        monitor.Evaluate(14 * Second).Should().Be(KeepAliveAction.None);
        monitor.OnReceived(14 * Second);
        monitor.Evaluate(15 * Second).Should().Be(KeepAliveAction.SendPing);
        monitor.Evaluate(16 * Second).Should().Be(KeepAliveAction.None, "one ping at a time");
    }

    [Fact]
    public void Monitor_probes_when_nothing_was_received_even_while_sending()
    {
        var monitor = new KeepAliveMonitor(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), Second, now: 0);
        for (var t = 1; t < 15; t++)
        {
            monitor.OnSent(t * Second);
            monitor.Evaluate(t * Second).Should().Be(KeepAliveAction.None);
        }

        monitor.OnSent(15 * Second);
        monitor.Evaluate(15 * Second).Should().Be(KeepAliveAction.SendPing, "a peer that only swallows our acks may be dead");
    }

    [Fact]
    public void Monitor_declares_the_peer_dead_when_a_ping_stays_unanswered()
    {
        var monitor = new KeepAliveMonitor(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), Second, now: 0);
        monitor.Evaluate(15 * Second).Should().Be(KeepAliveAction.SendPing);

        monitor.Evaluate(19 * Second).Should().Be(KeepAliveAction.None);
        monitor.Evaluate(20 * Second).Should().Be(KeepAliveAction.PeerDead);
    }

    [Fact]
    public void Any_received_byte_answers_the_ping()
    {
        var monitor = new KeepAliveMonitor(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), Second, now: 0);
        monitor.Evaluate(15 * Second).Should().Be(KeepAliveAction.SendPing);
        monitor.OnReceived(17 * Second);

        monitor.Evaluate(25 * Second).Should().Be(KeepAliveAction.None);
    }

    [Fact]
    public void While_reading_is_paused_for_back_pressure_silence_is_not_death_but_pings_continue()
    {
        var monitor = new KeepAliveMonitor(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), Second, now: 0);
        monitor.Pause();

        monitor.Evaluate(15 * Second).Should().Be(KeepAliveAction.SendPing, "the broker still needs a packet per keep-alive");
        monitor.Evaluate(29 * Second).Should().Be(KeepAliveAction.None);
        monitor.Evaluate(30 * Second).Should().Be(KeepAliveAction.SendPing);
        monitor.Evaluate(300 * Second).Should().Be(KeepAliveAction.SendPing, "never dead while we are the ones not reading");

        monitor.Resume(300 * Second);
        monitor.Evaluate(304 * Second).Should().Be(KeepAliveAction.None);
    }

    [Fact]
    public void Zero_keep_alive_disables_the_monitor()
    {
        var monitor = new KeepAliveMonitor(TimeSpan.Zero, TimeSpan.FromSeconds(5), Second, now: 0);
        monitor.Evaluate(long.MaxValue / 2).Should().Be(KeepAliveAction.None);
    }

    [Fact]
    public async Task Client_pings_an_idle_broker_and_reconnects_when_the_answer_never_comes()
    {
        await using var h = new SessionHarness();
        var (broker, _) = await h.ConnectAsync();

        // Keep-alive 10 s: the PINGREQ is due after 7.5 s of silence.
        await h.AdvanceAsync(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(1));
        await broker.ReceiveAsync<PingReqPacket>();
        await broker.SendAsync(PingRespPacket.Instance);
        // A message after the PINGRESP shows the client has read the PINGRESP before the clock moves on.
        await broker.SendAsync(new PublishPacket { Topic = "pv/x" });
        await h.Client.Messages.ReadAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(1));
        await broker.ReceiveAsync<PingReqPacket>();
        // No answer this time: after the 5 s ping timeout the connection is dead.
        await h.AdvanceAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        await h.Broker.AcceptAndAckAsync();
        await Eventually.True(() => h.Client.GetHealth().ReconnectCount == 1, "reconnected");
        h.Client.GetHealth().LastError.Should().Contain("PINGREQ");
    }

    [Fact]
    public async Task Mqtt5_server_keep_alive_overrides_ours()
    {
        await using var h = new SessionHarness(o => o.KeepAliveSeconds = 600, MqttProtocolVersion.V500);
        var (broker, _) = await h.ConnectAsync(connAck: new ConnAckPacket { ServerKeepAlive = 4 });

        await h.AdvanceAsync(TimeSpan.FromSeconds(3.2), TimeSpan.FromMilliseconds(400));

        await broker.ReceiveAsync<PingReqPacket>();
    }
}
