using MQTTnet.Packets;
using MQTTnet.Protocol;
using PvMonitor.Monitoring.Ingest.Mqtt;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Ingest.Mqtt;

public class MqttIngestOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_keep_a_persistent_session_for_seven_days()
    {
        var options = new MqttIngestOptions();
        options.GetValidationErrors().Should().BeEmpty();
        options.CleanSession.Should().BeFalse();
        options.SessionExpirySeconds.Should().Be(604_800u);
    }

    [Fact]
    public void Every_bad_setting_is_reported_with_its_key()
    {
        var options = new MqttIngestOptions
        {
            Host = " ",
            Port = 0,
            ProtocolVersion = 3,
            ReceiveQueueCapacity = 0,
            ClientId = "",
            Password = "p",
            CaCertificateFile = "/nope/ca.crt",
            ReconnectMinDelay = TimeSpan.FromSeconds(5),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };
        var errors = options.GetValidationErrors();
        errors.Should().Contain(e => e.StartsWith("Mqtt:Host", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("Mqtt:Port", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("Mqtt:ProtocolVersion", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("Mqtt:ReceiveQueueCapacity", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("Mqtt:ClientId", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("Mqtt:Username", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("Mqtt:Tls", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("Mqtt:CaFile", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("Mqtt:ReconnectMaxDelay", StringComparison.Ordinal));
        FluentActions.Invoking(() => new MqttIngestClient(options)).Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(MqttConnectReturnCode.ConnectionRefusedNotAuthorized, "NotAuthorized", true)]
    [InlineData(MqttConnectReturnCode.ConnectionRefusedBadUsernameOrPassword, "BadUserNameOrPassword", true)]
    [InlineData(MqttConnectReturnCode.ConnectionRefusedServerUnavailable, "ServerUnavailable", false)]
    public void A_refused_311_connection_names_its_reason(MqttConnectReturnCode code, string reason, bool configuration)
    {
        var refusal = MqttConnAckCodes.Refusal(new MqttConnAckPacket { ReturnCode = code }, mqtt5: false)!;
        refusal.Reason.Should().Be(reason);
        refusal.IsConfigurationError.Should().Be(configuration);
        refusal.Message.Should().Contain(reason);
        MqttConnAckCodes.Refusal(new MqttConnAckPacket { ReturnCode = MqttConnectReturnCode.ConnectionAccepted }, mqtt5: false).Should().BeNull();
    }

    [Fact]
    public void A_refused_mqtt5_connection_names_its_reason_code()
    {
        var refusal = MqttConnAckCodes.Refusal(new MqttConnAckPacket { ReasonCode = MqttConnectReasonCode.NotAuthorized }, mqtt5: true)!;
        refusal.Code.Should().Be(0x87);
        refusal.IsConfigurationError.Should().BeTrue();
        MqttConnAckCodes.Refusal(new MqttConnAckPacket { ReasonCode = MqttConnectReasonCode.ServerBusy }, mqtt5: true)!.IsConfigurationError.Should().BeFalse();
        MqttConnAckCodes.Refusal(new MqttConnAckPacket { ReasonCode = MqttConnectReasonCode.Success }, mqtt5: true).Should().BeNull();
    }

    [Fact]
    public async Task Reconnect_attempts_back_off_exponentially_with_jitter_up_to_the_cap()
    {
        var time = new DelayRecordingTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var connectTimeout = TimeSpan.FromSeconds(7);
        var options = new MqttIngestOptions
        {
            Port = ExternalProgram.FreeTcpPort(), // nothing listens: every attempt is refused at once
            ConnectTimeout = connectTimeout,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        };
        var seeded = new Random(42);
        await using var client = new MqttIngestClient(options, timeProvider: time, randomizer: seeded.NextDouble);
        client.Start();

        var delays = new List<TimeSpan>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (delays.Count < 12 && DateTime.UtcNow < deadline)
        {
            var backoff = time.RequestedDelays.Where(d => d != connectTimeout).ToList();
            if (backoff.Count > delays.Count)
            {
                var next = backoff[delays.Count];
                delays.Add(next);
                time.Advance(next);
            }
            else
            {
                await Task.Delay(5);
            }
        }

        delays.Should().HaveCount(12);
        delays.Should().OnlyContain(d => d > TimeSpan.Zero && d <= options.ReconnectMaxDelay, "the delay is capped");
        delays.Distinct().Count().Should().BeGreaterThan(6, "jitter spreads the attempts");
        delays.Skip(6).Average(d => d.TotalSeconds).Should().BeGreaterThan(delays.Take(2).Average(d => d.TotalSeconds), "the delay grows");
        client.GetHealth().FailedConnectAttempts.Should().BeGreaterThanOrEqualTo(12);
        client.State.Should().Be(MqttConnectionState.Connecting);
    }
}
