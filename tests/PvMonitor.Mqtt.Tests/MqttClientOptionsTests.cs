namespace PvMonitor.Mqtt.Tests;

public class MqttClientOptionsTests
{
    [Fact]
    public void Defaults_suit_a_persistent_ingest_service_once_a_client_id_is_set()
    {
        var options = new MqttClientOptions { ClientId = "pvmonitor-1" };

        options.GetValidationErrors().Should().BeEmpty();
        options.CleanSession.Should().BeFalse();
        options.AutoAcknowledge.Should().BeFalse();
        options.ProtocolVersion.Should().Be(MqttProtocolVersion.V311);
        options.ReconnectMaxDelay.Should().BeGreaterThan(options.ReconnectMinDelay);
        MqttClientOptions.SectionName.Should().Be("Mqtt");
    }

    public static TheoryData<string, Action<MqttClientOptions>> Broken => new()
    {
        { "Mqtt:Host", o => o.Host = " " },
        { "Mqtt:Port", o => o.Port = 0 },
        { "Mqtt:Port", o => o.Port = 70000 },
        { "Mqtt:ClientId", o => o.ClientId = "" },
        { "Mqtt:ClientId", o => o.ClientId = "a\0b" },
        { "Mqtt:Username", o => o.Password = "secret" },
        { "Mqtt:KeepAliveSeconds", o => o.KeepAliveSeconds = 70000 },
        { "Mqtt:PingTimeout", o => o.PingTimeout = TimeSpan.Zero },
        { "Mqtt:ConnectTimeout", o => o.ConnectTimeout = TimeSpan.FromSeconds(-1) },
        { "Mqtt:ProtocolVersion", o => o.ProtocolVersion = (MqttProtocolVersion)3 },
        { "Mqtt:MaxPacketSize", o => o.MaxPacketSize = 10 },
        { "Mqtt:ReceiveQueueCapacity", o => o.ReceiveQueueCapacity = 0 },
        { "Mqtt:ReceiveMaximum", o => o.ReceiveMaximum = 65_536 },
        { "Mqtt:MaxInflightPublishes", o => o.MaxInflightPublishes = 65_535 },
        { "Mqtt:ReconnectMinDelay", o => o.ReconnectMinDelay = TimeSpan.Zero },
        { "Mqtt:ReconnectMaxDelay", o => o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(10) },
        { "Mqtt:UseTls", o => o.CaCertificateFile = "/etc/hostname" },
        { "Mqtt:CaCertificateFile", o => { o.UseTls = true; o.CaCertificateFile = "/nonexistent/ca.pem"; } },
        { "Mqtt:ClientCertificateFile", o => { o.UseTls = true; o.ClientCertificateFile = "/nonexistent/client.pem"; } },
        { "Mqtt:WillTopic", o => o.WillTopic = "pv/#" },
        { "Mqtt:WillQoS", o => o.WillQoS = MqttQualityOfService.ExactlyOnce },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Each_problem_names_its_configuration_key(string key, Action<MqttClientOptions> breakIt)
    {
        var options = new MqttClientOptions { ClientId = "pvmonitor-1" };
        breakIt(options);

        options.GetValidationErrors().Should().ContainSingle().Which.Should().StartWith(key + " ");
        options.Invoking(o => o.Validate()).Should().Throw<MqttOptionsException>().WithMessage($"*{key}*");
    }

    [Fact]
    public void A_password_alone_is_allowed_in_mqtt5_and_an_empty_client_id_with_a_clean_session()
    {
        new MqttClientOptions { ClientId = "x", Password = "p", ProtocolVersion = MqttProtocolVersion.V500 }.GetValidationErrors().Should().BeEmpty();
        new MqttClientOptions { CleanSession = true }.GetValidationErrors().Should().BeEmpty();
    }
}
