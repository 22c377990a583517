using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PvMonitor.Api.Health;
using PvMonitor.Hosting;

namespace PvMonitor.Api;

/// <summary>
/// <c>/healthz</c> (process alive), <c>/readyz</c> (ASP.NET Core health checks: source connected, store healthy, model loaded,
/// pipeline running; 200 or 503 with each check's detail), <c>/metrics</c> (Prometheus text from OpenTelemetry's exporter; see
/// <see cref="PvMonitorServices.AddWorkerMetrics"/>).
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Maps the three endpoints.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) =>
            {
                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync("ok\n");
            },
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(WorkerHealthChecks.ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReadiness,
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        static ReadinessCheck Of(HealthReport r, string name) =>
            r.Entries.TryGetValue(name, out var e) ? new ReadinessCheck(e.Status == HealthStatus.Healthy, e.Description ?? e.Exception?.Message ?? "") : new ReadinessCheck(false, "not checked");
        var checks = new ReadinessChecks(Of(report, WorkerHealthChecks.Source), Of(report, WorkerHealthChecks.Store), Of(report, WorkerHealthChecks.Model), Of(report, WorkerHealthChecks.Pipeline));
        var ready = report.Status == HealthStatus.Healthy;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new ReadinessReport(ready ? "ready" : "not ready", checks), JsonSerializerOptions.Web));
    }
}
