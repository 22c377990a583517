using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PvMonitor.Hosting;

/// <summary>
/// Starts the pipeline before the telemetry source and, at shutdown (after the source stopped feeding it), drains in-flight
/// batches so they are stored and acknowledged.
/// </summary>
public sealed class PipelineHostedService(MonitoringComponents components, ILogger<PipelineHostedService> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        components.Pipeline.Start();
        logger.LogInformation("Pipeline started: batches of up to {Batch} samples or {Delay} ms, results to {Store}.",
            components.Settings.Pipeline.MaxBatchSize, components.Settings.Pipeline.MaxBatchDelayMs, components.StoreDescription);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Draining the pipeline...");
        await components.Pipeline.StopAsync().ConfigureAwait(false);
        if (components.Influx is not null) await components.Influx.FlushAsync().ConfigureAwait(false);
        var s = components.Pipeline.Status;
        logger.LogInformation("Pipeline drained: {Received} messages received, {Stored} samples stored, {DeadLetters} dead letters, {Alerts} alerts.",
            s.MessagesReceived, s.SamplesStored, s.DeadLetters, s.AlertsStored);
    }
}
