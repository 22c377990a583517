using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace PvMonitor.Mqtt.Bench;

/// <summary>
/// The alternative route, for comparison: MQTTnet's high-level <see cref="IMqttClient"/> with automatic acknowledgement off.
/// The received-message handler waits for room in a bounded queue of the same size as the adapter's (the "block in the
/// handler" back-pressure); the consumer calls <c>AcknowledgeAsync</c> after "storing" each message.
/// </summary>
internal static class HighLevelReceiveBenchmark
{
    public static async Task<int> RunAsync(ReceiveSettings s)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var queue = Channel.CreateBounded<MqttApplicationMessageReceivedEventArgs>(new BoundedChannelOptions(s.Queue) { SingleReader = true, SingleWriter = true });
        client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;
            await queue.Writer.WriteAsync(e);
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(s.Host, s.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithClientId(s.ClientId)
            .WithCleanSession(!s.Persistent)
            .Build();
        await client.ConnectAsync(options);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(s.Topic, (MqttQualityOfServiceLevel)s.QoS).Build());
        if (s.ReadyFile.Length > 0) await File.WriteAllTextAsync(s.ReadyFile, "ready");
        var report = new ReceiveReport(s.ConsumeRate);
        var reader = queue.Reader;
        while (report.Received < s.Count && await reader.WaitToReadAsync())
        {
            while (report.Received < s.Count && reader.TryRead(out var e))
            {
                if (e.ApplicationMessage.Dup) report.Dups++;
                if (e.ApplicationMessage.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtLeastOnce) await e.AcknowledgeAsync(CancellationToken.None);
                await report.OnMessageAsync();
            }
        }

        report.Print("mqttnet", s.QoS);
        await client.DisconnectAsync(new MqttClientDisconnectOptions());
        return report.Received == s.Count ? 0 : 1;
    }
}
