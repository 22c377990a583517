using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace PvMonitor.Monitoring.Tests.Ingest.Mqtt;

/// <summary>
/// Publishes numbered messages with MQTTnet's client (the first four payload bytes are the sequence number). QoS 1 publishes
/// that fail because the broker went away are retried after reconnecting (at-least-once from the publisher's side too).
/// </summary>
internal sealed class TestPublisher : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttClientOptions _options;

    private TestPublisher(MqttClientOptions options) => _options = options;

    public static async Task<TestPublisher> ConnectAsync(int port, string clientId, int version = 4)
    {
        var publisher = new TestPublisher(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId).WithCleanSession(true)
            .WithProtocolVersion(version == 5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311).WithTimeout(TimeSpan.FromSeconds(5)).Build());
        await publisher._client.ConnectAsync(publisher._options);
        return publisher;
    }

    public Task PublishAsync(string topic, int sequence, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce) =>
        _client.PublishAsync(new MqttApplicationMessage { Topic = topic, PayloadSegment = BitConverter.GetBytes(sequence), QualityOfServiceLevel = qos });

    public Task PublishAsync(string topic, byte[] payload) =>
        _client.PublishAsync(new MqttApplicationMessage { Topic = topic, PayloadSegment = payload, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce });

    /// <summary>Publishes 0..count-1 at QoS 1, <paramref name="window"/> at a time; a window that fails is sent again after reconnecting.</summary>
    public async Task PublishAllAsync(int count, Func<int, string> topic, int window, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var start = 0; start < count; start += window)
        {
            var end = Math.Min(count, start + window);
            while (true)
            {
                try
                {
                    await Task.WhenAll(Enumerable.Range(start, end - start).Select(i => PublishAsync(topic(i), i)));
                    break;
                }
                catch (Exception) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                    try
                    {
                        if (!_client.IsConnected) await _client.ConnectAsync(_options);
                    }
                    catch (Exception) when (DateTime.UtcNow < deadline)
                    {
                    }
                }
            }
        }
    }

    public void Dispose() => _client.Dispose();
}
