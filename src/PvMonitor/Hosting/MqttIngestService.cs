using Microsoft.Extensions.Hosting;
using PvMonitor.Monitoring.Ingest.Mqtt;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Hosting;

/// <summary>
/// Starts the MQTT subscriber (it connects, retrying until the broker answers, and subscribes to <c>Mqtt:Topic</c> at QoS 1)
/// and pumps received messages into the pipeline. The pipeline's bounded input makes this loop wait when the worker is behind;
/// the client's bounded queue then fills and it stops reading its socket: back-pressure reaches the broker. Stopping ends the
/// pump only: the connection stays up until the client is disposed, after the pipeline drained, so the last acknowledgements go out.
/// </summary>
public sealed class MqttIngestService(MqttIngestClient client, MonitoringPipeline pipeline) : BackgroundService
{
    /// <summary>The MQTT subscription filter in use.</summary>
    public string Filter => client.Filter;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        client.Start();
        await Task.Yield();
        var input = pipeline.Input;
        var reader = client.Messages;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var message))
                    await input.WriteAsync(message, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
