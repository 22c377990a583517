using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Hosting;

/// <summary>
/// Starts the pipeline before the telemetry source and, at shutdown (after the source stopped feeding it), drains in-flight
/// batches so they are stored and acknowledged.
/// </summary>
public sealed class PipelineHostedService(MonitoringPipeline pipeline, ResultStorage storage, IOptions<PipelineOptions> options, ILogger<PipelineHostedService> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        pipeline.Start();
        logger.LogInformation("Pipeline started: batches of up to {Batch} samples or {Delay} ms, results to {Store}.",
            options.Value.MaxBatchSize, options.Value.MaxBatchDelayMs, storage.Description);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Draining the pipeline...");
        await pipeline.StopAsync().ConfigureAwait(false);
        await storage.FlushAsync().ConfigureAwait(false);
        var s = pipeline.Status;
        logger.LogInformation("Pipeline drained: {Received} messages received, {Stored} samples stored, {DeadLetters} dead letters, {Alerts} alerts.",
            s.MessagesReceived, s.SamplesStored, s.DeadLetters, s.AlertsStored);
    }
}
