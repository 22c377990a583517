using System.Net.Sockets;
using PvMonitor.Testing;

namespace PvMonitor.Mqtt.Tests.Transport;

public class TcpMqttChannelTests
{
    [Fact]
    public async Task A_refused_tcp_connection_is_a_communication_error_with_the_socket_error_inside()
    {
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1", Port = ExternalProgram.FreeTcpPort(), ClientId = "x", ConnectTimeout = TimeSpan.FromSeconds(5),
        });

        var error = (await client.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<MqttCommunicationException>()).Which;

        error.InnerException.Should().BeAssignableTo<SocketException>();
        error.Message.Should().Contain("127.0.0.1");
    }

    [Fact]
    public async Task A_ca_file_without_certificates_is_a_clear_error_before_connecting()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "not a certificate");
            await using var client = new MqttClient(new MqttClientOptions
            {
                Host = "127.0.0.1", Port = ExternalProgram.FreeTcpPort(), ClientId = "x", UseTls = true, CaCertificateFile = file,
            });

            (await client.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<MqttCommunicationException>())
                .Which.Message.Should().Contain("CaCertificateFile");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
