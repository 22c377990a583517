using System.Diagnostics;
using PvMonitor.Mqtt;

namespace PvMonitor.Mqtt.Bench;

/// <summary>
/// Receives N messages and reports the rate between the first and the last one (the same definition the script
/// applies to <c>mosquitto_sub -F %U</c> timestamps). QoS 1 messages are acked one by one through
/// <see cref="MqttMessage.AckAsync"/> as an application would after storing them.
/// </summary>
internal static class ReceiveBenchmark
{
    public static async Task<int> RunAsync(string host, int port, string topic, MqttQualityOfService qos, int count, string clientId, string session,
        string readyFile)
    {
        var persistent = session == "persistent";
        await using var client = new MqttClient(Options(host, port, clientId, persistent));
        await client.ConnectAsync();
        if (!persistent)
            await client.SubscribeAsync(topic, qos);
        if (readyFile.Length > 0)
            await File.WriteAllTextAsync(readyFile, "ready");

        var reader = client.Messages;
        var received = 0;
        long first = 0;
        long allocatedAtFirst = 0;
        var dups = 0;
        while (received < count && await reader.WaitToReadAsync())
        {
            while (received < count && reader.TryRead(out var message))
            {
                if (received == 0)
                {
                    first = Stopwatch.GetTimestamp();
                    allocatedAtFirst = GC.GetTotalAllocatedBytes();
                }

                if (message.Dup)
                    dups++;
                if (message.QoS == MqttQualityOfService.AtLeastOnce)
                    await message.AckAsync();
                received++;
            }
        }

        var last = Stopwatch.GetTimestamp();
        var allocated = GC.GetTotalAllocatedBytes() - allocatedAtFirst;
        var seconds = Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        Console.WriteLine($"received={received} qos={(int)qos} seconds={seconds:F3} rate={(received - 1) / seconds:F0} " +
            $"alloc_bytes_per_msg={(double)allocated / Math.Max(1, received - 1):F0} gen0={GC.CollectionCount(0)} dups={dups}");
        await client.DisconnectAsync();
        return received == count ? 0 : 1;
    }

    public static async Task<int> SubscribeOnlyAsync(string host, int port, string topic, MqttQualityOfService qos, string clientId)
    {
        await using var client = new MqttClient(Options(host, port, clientId, persistent: true));
        await client.ConnectAsync();
        await client.SubscribeAsync(topic, qos);
        await client.DisconnectAsync();
        return 0;
    }

    private static MqttClientOptions Options(string host, int port, string clientId, bool persistent) => new()
    {
        Host = host,
        Port = port,
        ClientId = clientId,
        CleanSession = !persistent,
        ReceiveQueueCapacity = 10_000,
    };
}
