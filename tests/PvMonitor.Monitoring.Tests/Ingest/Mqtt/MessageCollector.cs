using System.Collections.Concurrent;
using PvMonitor.Monitoring.Ingest.Mqtt;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Monitoring.Tests.Ingest.Mqtt;

/// <summary>Drains a client's messages in the background, acknowledging each one after recording it (as the store stage would).</summary>
internal sealed class MessageCollector : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MessageCollector(MqttIngestClient client, bool ack = true)
    {
        _loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in client.Messages.ReadAllAsync(_stop.Token))
                {
                    Messages.Enqueue(message);
                    if (ack && message.Ack is { } a) await a.AcknowledgeAsync();
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public ConcurrentQueue<InboundMessage> Messages { get; } = new();

    /// <summary>Sequence numbers carried in the first four payload bytes.</summary>
    public IEnumerable<int> Sequences => Messages.Select(m => BitConverter.ToInt32(m.Payload.Span));

    public async Task WaitForAsync(Func<MessageCollector, bool> condition, string because, double timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting until {because}; have {Messages.Count} message(s).");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
