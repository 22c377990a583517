using System.Diagnostics;
using PvMonitor.Mqtt;

namespace PvMonitor.Mqtt.Bench;

/// <summary>
/// Publishes N messages of a fixed size as fast as the broker takes them: QoS 0 with up to <c>window</c> writes queued,
/// QoS 1 with <c>window</c> messages awaiting PUBACK (the client's in-flight limit). Each payload starts with its
/// sequence number.
/// </summary>
internal static class PublishBenchmark
{
    public static async Task<int> RunAsync(string host, int port, string topic, MqttQualityOfService qos, int count, int size, int window)
    {
        var options = new MqttClientOptions
        {
            Host = host,
            Port = port,
            ClientId = $"pvmonitor-bench-pub-{Environment.ProcessId}",
            CleanSession = true,
            MaxInflightPublishes = Math.Min(window, 65_000),
        };
        await using var client = new MqttClient(options);
        await client.ConnectAsync();
        var stopwatch = Stopwatch.StartNew();
        var pending = new Queue<Task>(window);
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[size];
            BitConverter.TryWriteBytes(payload, i);
            pending.Enqueue(client.PublishAsync(topic, payload, qos));
            if (pending.Count >= window)
                await pending.Dequeue();
        }

        while (pending.Count > 0)
            await pending.Dequeue();
        stopwatch.Stop();
        Console.WriteLine($"published={count} qos={(int)qos} seconds={stopwatch.Elapsed.TotalSeconds:F3} rate={count / stopwatch.Elapsed.TotalSeconds:F0}");
        await client.DisconnectAsync();
        return 0;
    }
}
