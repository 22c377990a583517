using PvMonitor.Monitoring.Ingest.Mqtt;

namespace PvMonitor.Mqtt.Bench;

/// <summary>
/// Receives with PvMonitor's <see cref="MqttIngestClient"/> (MQTTnet's low-level client underneath) exactly as the worker does:
/// messages from its bounded queue, each QoS 1 message acknowledged through its <c>Ack</c> after "storing" it.
/// </summary>
internal static class AdapterReceiveBenchmark
{
    public static async Task<int> RunAsync(ReceiveSettings s)
    {
        await using var client = new MqttIngestClient(Options(s));
        client.Start();
        await client.WaitUntilSubscribedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (s.ReadyFile.Length > 0) await File.WriteAllTextAsync(s.ReadyFile, "ready");
        var report = new ReceiveReport(s.ConsumeRate);
        var reader = client.Messages;
        while (report.Received < s.Count && await reader.WaitToReadAsync())
        {
            while (report.Received < s.Count && reader.TryRead(out var message))
            {
                if (message.Ack is { } ack) await ack.AcknowledgeAsync();
                await report.OnMessageAsync();
            }
        }

        report.Print("adapter", s.QoS);
        return report.Received == s.Count ? 0 : 1;
    }

    public static async Task<int> SubscribeOnlyAsync(ReceiveSettings s)
    {
        await using var client = new MqttIngestClient(Options(s with { Persistent = true }));
        client.Start();
        await client.WaitUntilSubscribedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return 0;
    }

    private static MqttIngestOptions Options(ReceiveSettings s) => new()
    {
        Host = s.Host,
        Port = s.Port,
        ClientId = s.ClientId,
        CleanSession = !s.Persistent,
        Filter = s.Topic,
        ReceiveQueueCapacity = s.Queue,
    };
}
