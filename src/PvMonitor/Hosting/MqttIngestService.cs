using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Mqtt;

namespace PvMonitor.Hosting;

/// <summary>
/// Connects to the broker (retrying until it answers), subscribes to <c>Mqtt:Topic</c> (as <c>$share/{Mqtt:SharedGroup}/…</c> when
/// set) at QoS 1 and pumps received messages into the pipeline. The pipeline's bounded input makes this loop wait when the
/// worker is behind, the client's bounded queue then stops reading the socket: back-pressure reaches the broker.
/// </summary>
public sealed class MqttIngestService(MqttClient client, MonitoringComponents components, TimeProvider time, ILogger<MqttIngestService> logger) : BackgroundService
{
    /// <summary>The MQTT subscription filter in use.</summary>
    public string Filter { get; } = BuildFilter(components);

    private static string BuildFilter(MonitoringComponents components)
    {
        var topic = PvMonitor.Monitoring.Ingest.TopicPattern.Parse(components.Settings.Ingest.TopicPattern).SubscriptionFilter;
        return string.IsNullOrEmpty(components.Settings.Mqtt.SharedGroup) ? topic : $"$share/{components.Settings.Mqtt.SharedGroup}/{topic}";
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await client.ConnectAsync(stoppingToken).ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (ex is MqttException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("MQTT broker {Host}:{Port} not reachable ({Error}); retrying in {Delay}.", components.Settings.Mqtt.Host, components.Settings.Mqtt.Port, ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        // Pump before subscribing: with a persistent session the broker may send a backlog larger than the client's receive
        // queue before the SUBACK; if nobody drained the queue the client would stop reading and never see the SUBACK.
        var pump = PumpAsync(stoppingToken);
        var codes = await client.SubscribeAsync(Filter, MqttQualityOfService.AtLeastOnce, stoppingToken).ConfigureAwait(false);
        logger.LogInformation("Subscribed to {Filter} (granted {Codes}).", Filter, string.Join(",", codes));
        await pump.ConfigureAwait(false);
    }

    private async Task PumpAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var input = components.Pipeline.Input;
        var reader = client.Messages;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var message))
                    await input.WriteAsync(InboundMessage.FromMqtt(message), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
