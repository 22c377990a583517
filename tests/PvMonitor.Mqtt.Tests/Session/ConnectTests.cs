using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Session;

public class ConnectTests
{
    [Fact]
    public async Task Connect_sends_the_configured_connect_and_completes_on_connack()
    {
        await using var h = new SessionHarness(o =>
        {
            o.Username = "ingest";
            o.Password = "secret";
            o.WillTopic = "pv/status";
            o.WillPayload = "offline";
        });

        var (_, connect) = await h.ConnectAsync();

        connect.ClientId.Should().Be("pv-test");
        connect.CleanSession.Should().BeFalse("the service default is a persistent session");
        connect.KeepAliveSeconds.Should().Be(10);
        connect.Username.Should().Be("ingest");
        connect.Password.Should().Equal("secret"u8.ToArray());
        connect.WillTopic.Should().Be("pv/status");
        connect.WillQoS.Should().Be(MqttQualityOfService.AtLeastOnce);
        h.Client.State.Should().Be(MqttConnectionState.Connected);
        h.States.Should().Equal(MqttConnectionState.Connecting, MqttConnectionState.Connected);
        h.Client.GetHealth().ConnectedSince.Should().Be(h.Time.GetUtcNow());
    }

    [Fact]
    public async Task Mqtt5_connect_announces_session_expiry_receive_maximum_and_maximum_packet_size()
    {
        await using var h = new SessionHarness(o =>
        {
            o.ReceiveQueueCapacity = 500;
            o.MaxPacketSize = 65_536;
            o.SessionExpirySeconds = 3600;
        }, MqttProtocolVersion.V500);

        var (_, connect) = await h.ConnectAsync();

        connect.ProtocolVersion.Should().Be(MqttProtocolVersion.V500);
        connect.SessionExpiryInterval.Should().Be(3600);
        connect.ReceiveMaximum.Should().Be(500);
        connect.MaximumPacketSize.Should().Be(65_536);
    }

    [Fact]
    public async Task Mqtt5_connect_announces_an_explicit_receive_maximum_over_the_queue_capacity()
    {
        await using var h = new SessionHarness(o =>
        {
            o.ReceiveQueueCapacity = 500;
            o.ReceiveMaximum = 20_000;
        }, MqttProtocolVersion.V500);

        var (_, connect) = await h.ConnectAsync();

        connect.ReceiveMaximum.Should().Be(20_000);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttReasonCode.BadUserNameOrPassword)]
    [InlineData(MqttProtocolVersion.V311, MqttReasonCode.NotAuthorized)]
    [InlineData(MqttProtocolVersion.V500, MqttReasonCode.BadUserNameOrPassword)]
    [InlineData(MqttProtocolVersion.V500, MqttReasonCode.Banned)]
    public async Task A_refusing_connack_is_a_typed_error_naming_the_reason(MqttProtocolVersion version, MqttReasonCode code)
    {
        await using var h = new SessionHarness(version: version);
        var connecting = h.Client.ConnectAsync();
        var connection = await h.Broker.AcceptAsync();
        await connection.ReceiveAsync<ConnectPacket>();
        await connection.SendAsync(new ConnAckPacket { ReasonCode = code, ReasonString = version == MqttProtocolVersion.V500 ? "go away" : null });

        var error = (await connecting.Invoking(t => t).Should().ThrowAsync<MqttConnectException>()).Which;

        error.ReasonCode.Should().Be(code);
        error.IsConfigurationError.Should().BeTrue();
        error.Message.Should().Contain(code.ToString());
        h.Client.State.Should().Be(MqttConnectionState.Disconnected);
        h.Client.GetHealth().LastError.Should().Be(error.Message);
        h.Client.GetHealth().FailedConnectAttempts.Should().Be(1);
    }

    [Fact]
    public async Task No_connack_within_the_connect_timeout_is_a_communication_error()
    {
        await using var h = new SessionHarness(o => o.ConnectTimeout = TimeSpan.FromSeconds(3));
        var connecting = h.Client.ConnectAsync();
        var connection = await h.Broker.AcceptAsync();
        await connection.ReceiveAsync<ConnectPacket>();

        await h.AdvanceAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1));

        (await connecting.Invoking(t => t).Should().ThrowAsync<MqttCommunicationException>()).Which.Message.Should().Contain("CONNACK");
        await Eventually.True(() => connection.ClientClosed, "the channel is closed");
    }

    [Fact]
    public async Task An_unreachable_broker_fails_the_first_connect()
    {
        await using var h = new SessionHarness();
        h.Broker.RefuseConnections = true;

        await h.Client.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<MqttCommunicationException>();

        h.Client.State.Should().Be(MqttConnectionState.Disconnected);
    }

    [Fact]
    public async Task StartAsync_waits_out_a_broker_that_is_down_at_start_up()
    {
        await using var h = new SessionHarness(o => o.KeepAliveSeconds = 0);
        h.Broker.RefuseConnections = true;

        var starting = h.Client.StartAsync();
        await Eventually.True(() => h.Broker.Attempts >= 1 && h.Time.PendingTimers == 1, "the first attempt failed and a retry is scheduled");
        starting.IsCompleted.Should().BeFalse();
        h.Client.State.Should().Be(MqttConnectionState.Connecting);
        h.Client.GetHealth().LastError.Should().Contain("refused");

        h.Broker.RefuseConnections = false;
        h.Time.Advance(h.Time.PendingDelays.Single());
        await h.Broker.AcceptAndAckAsync();

        await starting.WaitAsync(TimeSpan.FromSeconds(10));
        h.Client.State.Should().Be(MqttConnectionState.Connected);
        h.Client.GetHealth().ReconnectCount.Should().Be(0, "the first connection is not a reconnect");
    }

    [Fact]
    public async Task StartAsync_does_not_retry_a_wrong_password()
    {
        await using var h = new SessionHarness();
        var starting = h.Client.StartAsync();
        var connection = await h.Broker.AcceptAsync();
        await connection.ReceiveAsync<ConnectPacket>();
        await connection.SendAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.BadUserNameOrPassword });

        (await starting.Invoking(t => t).Should().ThrowAsync<MqttConnectException>()).Which.IsConfigurationError.Should().BeTrue();
        h.Broker.Attempts.Should().Be(1);
        h.Client.State.Should().Be(MqttConnectionState.Disconnected);
    }

    [Fact]
    public async Task A_packet_other_than_connack_first_is_a_protocol_error()
    {
        await using var h = new SessionHarness();
        var connecting = h.Client.ConnectAsync();
        var connection = await h.Broker.AcceptAsync();
        await connection.ReceiveAsync<ConnectPacket>();
        await connection.SendAsync(PingRespPacket.Instance);

        await connecting.Invoking(t => t).Should().ThrowAsync<MqttProtocolException>();
    }

    [Fact]
    public void Invalid_options_are_refused_by_the_constructor()
    {
        var act = () => new MqttClient(new MqttClientOptions { ClientId = "", CleanSession = false });

        act.Should().Throw<MqttOptionsException>().Which.Errors.Should().ContainSingle(e => e.StartsWith("Mqtt:ClientId"));
    }
}
