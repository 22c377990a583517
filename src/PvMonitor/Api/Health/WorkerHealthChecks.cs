using Microsoft.Extensions.Diagnostics.HealthChecks;
using PvMonitor.Hosting;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Api.Health;

/// <summary>The names of the readiness checks, as they appear in the <c>/readyz</c> body.</summary>
public static class WorkerHealthChecks
{
    /// <summary>Tag of the checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>MQTT connected (or the demo plant).</summary>
    public const string Source = "source";

    /// <summary>Result store accepting writes.</summary>
    public const string Store = "store";

    /// <summary>Model loaded.</summary>
    public const string Model = "model";

    /// <summary>Pipeline running.</summary>
    public const string Pipeline = "pipeline";
}

/// <summary>Ready when telemetry can arrive: MQTT connected, or always for the demo plant.</summary>
public sealed class SourceHealthCheck(TelemetrySource source) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (source.Client is null) return Task.FromResult(HealthCheckResult.Healthy("demo plant"));
        return Task.FromResult(source.IsReady
            ? HealthCheckResult.Healthy("connected")
            : HealthCheckResult.Unhealthy("not connected: " + (source.Client.GetHealth().LastError ?? "connecting")));
    }
}

/// <summary>Ready while results can be written: the last store write succeeded and the InfluxDB writer (if any) is healthy.</summary>
public sealed class StoreHealthCheck(MonitoringPipeline pipeline, ResultStorage storage) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = pipeline.Status;
        return Task.FromResult(status.StoreHealthy && storage.WriterHealthy
            ? HealthCheckResult.Healthy(storage.Description)
            : HealthCheckResult.Unhealthy("failing: " + (status.LastStoreError ?? storage.WriterProblem)));
    }
}

/// <summary>Always ready once the host started: the model loads before anything listens.</summary>
public sealed class ModelHealthCheck(ModelHost models) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy($"{models.Current.Manifest.Kind} {models.Current.Manifest.Version}"));
}

/// <summary>Ready while the pipeline runs.</summary>
public sealed class PipelineHealthCheck(MonitoringPipeline pipeline) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(pipeline.Status.Running ? HealthCheckResult.Healthy("running") : HealthCheckResult.Unhealthy("stopped"));
}
