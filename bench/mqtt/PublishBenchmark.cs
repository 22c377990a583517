using System.Diagnostics;
using MQTTnet;
using MQTTnet.Protocol;

namespace PvMonitor.Mqtt.Bench;

/// <summary>
/// Publishes N messages of a fixed size with MQTTnet's client as fast as the broker takes them, with up to <c>window</c>
/// publishes outstanding (QoS 1: awaiting PUBACK). Each payload starts with its sequence number.
/// </summary>
internal static class PublishBenchmark
{
    public static async Task<int> RunAsync(string host, int port, string topic, int qos, int count, int size, int window)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithClientId($"pvmonitor-bench-pub-{Environment.ProcessId}")
            .WithCleanSession(true)
            .Build());
        var stopwatch = Stopwatch.StartNew();
        var pending = new Queue<Task>(window);
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[size];
            BitConverter.TryWriteBytes(payload, i);
            pending.Enqueue(client.PublishAsync(new MqttApplicationMessage { Topic = topic, PayloadSegment = payload, QualityOfServiceLevel = (MqttQualityOfServiceLevel)qos }));
            if (pending.Count >= window) await pending.Dequeue();
        }

        while (pending.Count > 0) await pending.Dequeue();
        stopwatch.Stop();
        Console.WriteLine($"published={count} qos={qos} seconds={stopwatch.Elapsed.TotalSeconds:F3} rate={count / stopwatch.Elapsed.TotalSeconds:F0}");
        await client.DisconnectAsync(new MqttClientDisconnectOptions());
        return 0;
    }
}
