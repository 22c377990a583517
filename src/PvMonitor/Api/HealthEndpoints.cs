using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PvMonitor.Hosting;
using PvMonitor.Monitoring.Metrics;

namespace PvMonitor.Api;

/// <summary><c>/healthz</c> (process alive), <c>/readyz</c> (source connected, store healthy, model loaded), <c>/metrics</c> (Prometheus text 0.0.4).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps the three endpoints.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain"));
        app.MapGet("/readyz", (MonitoringComponents components, TelemetrySource source) =>
        {
            var status = components.Pipeline.Status;
            var checks = new ReadinessChecks(
                Source: new ReadinessCheck(source.IsReady, source.Kind == "mqtt" ? (source.IsReady ? "connected" : "not connected: " + (source.Client!.GetHealth().LastError ?? "connecting")) : "demo plant"),
                Store: new ReadinessCheck(components.StoreHealthy, components.StoreHealthy ? components.StoreDescription : "failing: " + (status.LastStoreError ?? components.Influx?.Status.LastError ?? components.Influx?.Status.State.ToString())),
                Model: new ReadinessCheck(true, $"{components.Model.Manifest.Kind} {components.Model.Manifest.Version}"),
                Pipeline: new ReadinessCheck(status.Running, status.Running ? "running" : "stopped"));
            var ready = checks.Source.Ok && checks.Store.Ok && checks.Model.Ok && checks.Pipeline.Ok;
            return Results.Json(new ReadinessReport(ready ? "ready" : "not ready", checks), statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/metrics", (MonitoringComponents components) =>
        {
            components.RefreshGauges();
            return Results.Text(PrometheusTextWriter.WriteToString(components.Metrics.Registry), PrometheusTextWriter.ContentType);
        });
        return app;
    }
}
