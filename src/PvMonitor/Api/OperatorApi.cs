using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PvMonitor.Domain.Conditions;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Hosting;

namespace PvMonitor.Api;

/// <summary>
/// JSON endpoints behind the operator page, under <c>/api</c>: <c>overview</c>, <c>strings</c> (latest state of each string),
/// <c>strings/{plant}/{inverter}/{string}/history?hours=6</c> (condition and telemetry history before the string's latest
/// sample), <c>alerts?limit=50</c>, <c>deadletters?limit=50</c>.
/// </summary>
public static class OperatorApi
{
    private static readonly ConditionCatalog Catalog = new();

    /// <summary>Maps the <c>/api</c> group.</summary>
    public static RouteGroupBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/overview", async (MonitoringComponents c, TelemetrySource source, CancellationToken ct) =>
        {
            var counts = await c.Reader.GetCountsAsync(ct).ConfigureAwait(false);
            var s = c.Pipeline.Status;
            var m = c.Model.Manifest;
            var faults = c.Model.Classes.Where(IsFault).ToList();
            return Results.Json(new OverviewDto(source.Description, source.IsReady, c.StoreDescription, c.StoreHealthy,
                new ModelDto(m.Version, m.Kind, m.Classes, m.Features, StringDto.Num(c.Pipeline.Scorer.Threshold), c.ModelPath),
                counts, s.MessagesReceived, s.SamplesStored, s.DeadLetters, s.AlertsStored, s.InputQueueDepth, faults));
        });
        api.MapGet("/strings", async (MonitoringComponents c, CancellationToken ct) =>
        {
            var latest = await c.Reader.GetLatestAsync(ct).ConfigureAwait(false);
            return Results.Json(latest.Select(s => StringDto.From(s, IsFault(s.Condition))).ToList());
        });
        api.MapGet("/strings/{plant}/{inverter}/{str}/history", async (string plant, string inverter, string str, double? hours, MonitoringComponents c, CancellationToken ct) =>
        {
            var key = new StringKey(plant, inverter, str);
            var latest = (await c.Reader.GetLatestAsync(ct).ConfigureAwait(false)).FirstOrDefault(s => s.Key == key);
            if (latest is null) return Results.NotFound(new { error = $"No data for string {key}." });
            var span = TimeSpan.FromHours(Math.Clamp(hours ?? 6, 0.1, 24 * 14));
            var to = latest.Time.AddMilliseconds(1);
            var from = to - span;
            var conditions = await c.Reader.GetConditionHistoryAsync(key, from, to, 5000, ct).ConfigureAwait(false);
            var telemetry = await c.Reader.GetTelemetryAsync(key, from, to, 5000, ct).ConfigureAwait(false);
            return Results.Json(new HistoryDto(plant, inverter, str,
                conditions.Select(HistoryPointDto.From).ToList(),
                telemetry.Select(t => new TelemetryPointDto(t.Sample.Time, t.Sample.I, t.Sample.V, t.Sample.G, t.Sample.TExt, t.Sample.TMod, t.Sample.W)).ToList()));
        });
        api.MapGet("/alerts", async (int? limit, MonitoringComponents c, CancellationToken ct) =>
        {
            var alerts = await c.Reader.GetAlertsAsync(limit: Math.Clamp(limit ?? 50, 1, 1000), cancellationToken: ct).ConfigureAwait(false);
            return Results.Json(alerts.Select(AlertDto.Of).ToList());
        });
        api.MapGet("/deadletters", async (int? limit, MonitoringComponents c, CancellationToken ct) =>
        {
            var rows = await c.Reader.GetDeadLettersAsync(Math.Clamp(limit ?? 50, 1, 1000), ct).ConfigureAwait(false);
            return Results.Json(rows.Select(DeadLetterDto.From).ToList());
        });
        return api;
    }

    private static bool IsFault(string code) => Catalog.TryGet(code, out var d) && d.IsFault;
}
